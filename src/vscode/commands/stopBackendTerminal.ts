import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend } from './pickBackend';

export async function stopBackendTerminal(services: Services, target?: BackendsNode | string): Promise<void> {
  const backend = await pickBackend(services, target, t('Stop the Flask terminal of which backend?'), (b) => services.terminals.isRunning(b.port));
  if (backend && services.terminals.stop([backend.port]) > 0) services.log.info(t('Stopped the Flask terminal of port {0}.', backend.port));
}
