// Stop the Flask terminal of one backend (the tree's inline button).
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function stopBackendTerminal(parts: Pick<Services, 'balancer' | 'terminals' | 'log'>, target?: BackendTarget): Promise<void> {
  const picked = await pickBackend(parts, target, t('Stop the Flask terminal of which backend?'), (b) => parts.terminals.isRunning(b.port));
  if (picked && parts.terminals.stop([picked.backend.port]) > 0) parts.log.info(t('Stopped the Flask terminal of port {0}.', picked.backend.port));
}
