// Local LB: Disable Backend: drains a backend out of rotation.
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend, type BackendTarget } from './pickBackend';

/** No new connections, open ones finish. Lasts until enabled or reloaded. */
export async function disableBackend(parts: Pick<Services, 'balancer' | 'terminals'>, target?: BackendTarget): Promise<boolean> {
  const picked = await pickBackend(parts, target, t('Disable (drain) which backend?'), (b) => b.enabled);
  if (!picked) return false;
  picked.pool.setEnabled(picked.backend.id, false);
  return true;
}
