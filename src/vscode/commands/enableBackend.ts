// Local LB: Enable Backend: a disabled backend takes new connections again.
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function enableBackend(parts: Pick<Services, 'balancer' | 'terminals'>, target?: BackendTarget): Promise<boolean> {
  const picked = await pickBackend(parts, target, t('Enable which backend?'), (b) => !b.enabled);
  if (!picked) return false;
  picked.pool.setEnabled(picked.backend.id, true);
  return true;
}
