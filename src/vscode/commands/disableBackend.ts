import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend } from './pickBackend';

/** Drains a backend: no new connections, open ones finish. Lasts until enabled or reloaded. */
export async function disableBackend(services: Services, target?: BackendsNode | string): Promise<boolean> {
  const backend = await pickBackend(services, target, t('Disable (drain) which backend?'), (b) => b.enabled);
  if (!backend) return false;
  services.balancer.balancer.setEnabled(backend.id, false);
  return true;
}
