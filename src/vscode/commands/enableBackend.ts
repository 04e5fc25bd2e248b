import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend } from './pickBackend';

export async function enableBackend(services: Services, target?: BackendsNode | string): Promise<boolean> {
  const backend = await pickBackend(services, target, t('Enable which backend?'), (b) => !b.enabled);
  if (!backend) return false;
  services.balancer.balancer.setEnabled(backend.id, true);
  return true;
}
