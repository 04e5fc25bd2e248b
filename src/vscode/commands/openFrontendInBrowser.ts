// Local LB: Open Frontend in Browser.
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { Services } from '../services';
import { openInBrowser } from './openInBrowser';

export async function openFrontendInBrowser({ balancer }: Pick<Services, 'balancer'>): Promise<boolean> {
  const address = balancer.address();
  if (!address) {
    void vscode.window.showWarningMessage(t('The balancer is not running.'));
    return false;
  }
  return openInBrowser(address);
}
