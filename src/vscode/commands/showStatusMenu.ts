// The quick pick behind the status bar item.
import * as vscode from 'vscode';
import { t } from '../l10n';
import { poolDescription } from '../presentation';
import type { Services } from '../services';

type Item = vscode.QuickPickItem & { command?: string; args?: unknown[] };

/** The actions that fit the balancer's state; with several pools, each pool with its own start or stop. */
export async function showStatusMenu({ balancer }: Pick<Services, 'balancer'>): Promise<void> {
  const { running, pools } = balancer;
  const anyStopped = balancer.settingsPools.some((pool) => !pool.running);
  const items: Item[] = [
    ...(anyStopped ? [{ label: `$(play) ${t('Start Balancer')}`, command: 'localLb.start' }] : []),
    ...(running
      ? [
          { label: `$(debug-stop) ${t('Stop Balancer')}`, command: 'localLb.stop' },
          { label: `$(debug-restart) ${t('Restart Balancer')}`, command: 'localLb.restart' },
          { label: `$(globe) ${t('Open Frontend in Browser')}`, command: 'localLb.openFrontendInBrowser' },
          { label: `$(send) ${t('Send Test Requests')}`, command: 'localLb.sendTestRequests' },
        ]
      : []),
    { label: `$(arrow-swap) ${t('Balance Requests or Connections…')}`, command: 'localLb.setMode' },
    { label: `$(list-tree) ${t('Show Backends')}`, command: 'localLb.backends.focus' },
    { label: `$(graph-line) ${t('Show Traffic')}`, command: 'localLb.showTraffic' },
    { label: `$(output) ${t('Show Log')}`, command: 'localLb.showLog' },
  ];
  if (pools.length > 1) {
    items.push({ label: t('Pools'), kind: vscode.QuickPickItemKind.Separator });
    for (const pool of balancer.settingsPools) {
      const { frontend, backends } = pool.snapshot();
      items.push(
        pool.running
          ? { label: `$(debug-stop) ${t('Stop {0}', pool.name)}`, description: poolDescription(frontend, backends), command: 'localLb.stop', args: [pool.name] }
          : { label: `$(play) ${t('Start {0}', pool.name)}`, description: poolDescription(frontend, backends), command: 'localLb.start', args: [pool.name] },
      );
    }
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder: t('Local LB') });
  if (picked?.command) await vscode.commands.executeCommand(picked.command, ...(picked.args ?? []));
}
