// Local LB: Remove Backend: takes it out of `localLb.backends`; its open connections finish undisturbed.
import { t } from '../l10n';
import type { Services } from '../services';
import { withoutBackend } from '../settingsParser';
import { backendEntries, writeBackendEntries } from '../vsCodeSettings';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function removeBackend(parts: Pick<Services, 'balancer' | 'terminals' | 'log'>, target?: BackendTarget): Promise<boolean> {
  const backend = await pickBackend(parts, target, t('Remove which backend?'));
  if (!backend) return false;
  await writeBackendEntries(withoutBackend(backendEntries(), backend.id));
  parts.log.info(t('Removed backend {0} from localLb.backends.', backend.id));
  return true;
}
