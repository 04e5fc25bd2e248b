// Launch Flask for one backend (the tree's inline button).
import { t } from '../l10n';
import type { Services } from '../services';
import { launchFlask } from './launchFlaskBackends';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function launchBackendTerminal(parts: Pick<Services, 'balancer' | 'terminals' | 'log'>, target?: BackendTarget): Promise<number[]> {
  const picked = await pickBackend(parts, target, t('Launch Flask for which backend?'), (b) => !parts.terminals.isRunning(b.port));
  return picked ? launchFlask(parts, [picked.backend.port]) : [];
}
