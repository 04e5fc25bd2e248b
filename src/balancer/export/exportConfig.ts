// Writes the balancer's pools for a production engine: HAProxy, nginx, Envoy or Kubernetes.
import { ConfigError } from '../errors';
import type { PoolDefinition } from '../poolConfig';
import { envoyConfig } from './envoy';
import { EXPORT_TARGETS, exportSetup, type ExportTarget } from './exportSetup';
import { haproxyConfig } from './haproxy';
import { kubernetesConfig } from './kubernetes';
import { nginxConfig } from './nginx';

const WRITERS = { haproxy: haproxyConfig, nginx: nginxConfig, envoy: envoyConfig, kubernetes: kubernetesConfig } as const;

export function validateExportTarget(target: string): ExportTarget {
  if ((EXPORT_TARGETS as readonly string[]).includes(target)) return target as ExportTarget;
  throw new ConfigError(`Unknown export target ${JSON.stringify(target)}: expected one of ${EXPORT_TARGETS.join(', ')}.`);
}

/** The configuration text of every pool; throws a `ConfigError` naming a setting that cannot be written safely. */
export function exportConfig(target: ExportTarget, pools: readonly PoolDefinition[], version: string, now?: Date): string {
  return WRITERS[target](exportSetup(pools, target, version, now));
}
