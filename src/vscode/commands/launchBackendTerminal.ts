import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import type { Services } from '../services';
import { launchFlask } from './launchFlaskBackends';
import { pickBackend } from './pickBackend';

export async function launchBackendTerminal(services: Services, target?: BackendsNode | string): Promise<number[]> {
  const backend = await pickBackend(services, target, t('Launch Flask for which backend?'), (b) => !services.terminals.isRunning(b.port));
  return backend ? launchFlask(services, [backend.port]) : [];
}
