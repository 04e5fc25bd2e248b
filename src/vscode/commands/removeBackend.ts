// Local LB: Remove Backend: takes it out of its pool's settings; its open connections finish undisturbed.
import { t } from '../l10n';
import type { Services } from '../services';
import { withoutBackend } from '../settingsParser';
import { backendEntries, writeBackendEntries } from '../vsCodeSettings';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function removeBackend(parts: Pick<Services, 'balancer' | 'terminals' | 'log'>, target?: BackendTarget): Promise<boolean> {
  const picked = await pickBackend(parts, target, t('Remove which backend?'));
  if (!picked) return false;
  const { pool, backend } = picked;
  await writeBackendEntries(withoutBackend(backendEntries(pool.name), backend.id), pool.name);
  parts.log.info(t('Removed backend {0} from pool {1}.', backend.id, pool.name));
  return true;
}
