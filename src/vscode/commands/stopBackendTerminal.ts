// Stop one launched backend and close its terminal (the tree's inline button).
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function stopBackendTerminal(parts: Pick<Services, 'balancer' | 'terminals' | 'log'>, target?: BackendTarget): Promise<void> {
  const picked = await pickBackend(parts, target, t('Stop which launched backend?'), (b) => parts.terminals.isRunning(b.port));
  if (picked && (await parts.terminals.stop([picked.backend.port])) > 0) parts.log.info(t('Stopped the backend launched on port {0}.', picked.backend.port));
}
