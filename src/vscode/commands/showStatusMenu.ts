// The quick pick behind the status bar item.
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { Services } from '../services';

/** The quick pick behind the status bar item: the actions that fit the balancer's state. */
export async function showStatusMenu({ balancer }: Pick<Services, 'balancer'>): Promise<void> {
  const running = balancer.running;
  const items: Array<vscode.QuickPickItem & { command: string }> = running
    ? [
        { label: `$(debug-stop) ${t('Stop Balancer')}`, command: 'localLb.stop' },
        { label: `$(debug-restart) ${t('Restart Balancer')}`, command: 'localLb.restart' },
        { label: `$(globe) ${t('Open Frontend in Browser')}`, command: 'localLb.openFrontendInBrowser' },
        { label: `$(send) ${t('Send Test Requests')}`, command: 'localLb.sendTestRequests' },
      ]
    : [{ label: `$(play) ${t('Start Balancer')}`, command: 'localLb.start' }];
  items.push(
    { label: `$(arrow-swap) ${t('Balance Requests or Connections…')}`, command: 'localLb.setMode' },
    { label: `$(list-tree) ${t('Show Backends')}`, command: 'localLb.backends.focus' },
    { label: `$(graph-line) ${t('Show Traffic')}`, command: 'localLb.showTraffic' },
    { label: `$(output) ${t('Show Log')}`, command: 'localLb.showLog' },
  );
  const picked = await vscode.window.showQuickPick(items, { placeHolder: t('Local LB') });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
