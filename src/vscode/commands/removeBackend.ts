import type { BackendsNode } from '../backendsTree';
import { backendEntries, writeBackendEntries } from '../configuration';
import { t } from '../l10n';
import { withoutBackend } from '../settings';
import type { Services } from '../services';
import { pickBackend } from './pickBackend';

/** Removes a backend from `localLb.backends`; its open connections finish undisturbed. */
export async function removeBackend(services: Services, target?: BackendsNode | string): Promise<boolean> {
  const backend = await pickBackend(services, target, t('Remove which backend?'));
  if (!backend) return false;
  await writeBackendEntries(withoutBackend(backendEntries(), backend.id));
  services.log.info(t('Removed backend {0} from localLb.backends.', backend.id));
  return true;
}
