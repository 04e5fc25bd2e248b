// Open a backend in the browser (the tree's inline button).
import { t } from '../l10n';
import type { Services } from '../services';
import { openInBrowser } from './openInBrowser';
import { pickBackend, type BackendTarget } from './pickBackend';

export async function openBackendInBrowser(parts: Pick<Services, 'balancer' | 'terminals'>, target?: BackendTarget): Promise<boolean> {
  const picked = await pickBackend(parts, target, t('Open which backend?'));
  return picked ? openInBrowser(picked.backend) : false;
}
