// `local-lb --check`: each pool in a few lines, as it would start, with what it launches.
import { formatAddress, resolveOptions, type PoolDefinition } from '../balancer';
import type { LaunchType, PoolLaunch } from './launch/launchArgs';

export function poolSummary({ name, options }: PoolDefinition, launch?: PoolLaunch): string {
  const resolved = resolveOptions(options);
  const { health } = resolved;
  const checks = health ? `${health.type} checks${health.type === 'http' ? ` on ${health.path}` : ''} every ${health.intervalMs} ms` : 'no health checks';
  const backends = resolved.backends.map((backend) => `${formatAddress(backend)}${backend.weight && backend.weight !== 1 ? ` (weight ${backend.weight})` : ''}`);
  return [
    `${name}: ${formatAddress(resolved)}, ${resolved.mode} mode, ${resolved.strategy}${resolved.sticky ? ', sticky sessions' : ''}, ${checks}`,
    `  backends: ${backends.join(', ') || 'none yet'}`,
    ...(options.faults ?? []).map(({ backend, fault }) => `  fault on ${backend}: ${fault.name}`),
    ...(launch?.types ?? []).map(launchLine),
  ].join('\n');
}

/** `  launches 3 copies of fastapi (main) from :8101, balanced`. */
function launchLine({ name, spec, balanced }: LaunchType): string {
  const what = spec.preset ? `${spec.preset}${spec.target ? ` (${spec.target})` : ''}` : JSON.stringify((spec.command ?? []).join(' '));
  const copies = `${spec.replicas} cop${spec.replicas === 1 ? 'y' : 'ies'} of ${name ? `${name}: ` : ''}${what}`;
  return `  launches ${copies} from :${spec.basePort}${balanced ? ', balanced' : ', not balanced'}${spec.restart ? ', restarted when they exit' : ''}`;
}
