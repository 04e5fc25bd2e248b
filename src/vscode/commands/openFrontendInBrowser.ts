// Local LB: Open Frontend in Browser.
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { Services } from '../services';
import { openInBrowser } from './openInBrowser';
import { pickPool, type PoolTarget } from './pickPool';

export async function openFrontendInBrowser(parts: Pick<Services, 'balancer'>, target?: PoolTarget): Promise<boolean> {
  const pool = await pickPool(parts, target, t('Open which pool\'s frontend?'));
  if (!pool) return false;
  const address = pool.address();
  if (!address) {
    void vscode.window.showWarningMessage(t('The balancer is not running.'));
    return false;
  }
  return openInBrowser(address);
}
