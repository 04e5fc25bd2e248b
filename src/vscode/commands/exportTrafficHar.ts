// Local LB: Export Traffic as HAR…: the requests recorded while the traffic panel is open, as a
// HAR 1.2 file the user chooses; Authorization and cookies masked unless localLb.inspector.showSecrets.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { version } from '../../../package.json';
import { t } from '../l10n';
import type { Services } from '../services';
import { pickPool, type PoolTarget } from './pickPool';

/** `file` given (by a test or a keybinding) skips the save dialog. Returns the requests written, or 0. */
export async function exportTrafficHar(parts: Pick<Services, 'balancer' | 'log'>, target?: PoolTarget, file?: vscode.Uri): Promise<number> {
  const pool = await pickPool(parts, target, t('Export the requests of which pool?'));
  if (!pool) return 0;
  const showSecrets = vscode.workspace.getConfiguration('localLb').get<boolean>('inspector.showSecrets') === true;
  const { har, requests } = pool.trafficHar({ showSecrets, creator: { name: 'Local LB', version } });
  if (requests === 0) {
    const show = t('Show Traffic');
    const choice = await vscode.window.showInformationMessage(t('No request of pool {0} is recorded yet: HTTP requests are recorded while the traffic panel is open.', pool.name), show);
    if (choice === show) await vscode.commands.executeCommand('localLb.showTraffic');
    return 0;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `local-lb-${pool.name}.har`;
  const chosen = file ?? (await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { HAR: ['har'] }, title: t('Export Traffic as HAR') }));
  if (!chosen) return 0;
  await writeFile(chosen.fsPath, `${JSON.stringify(har, null, 2)}\n`);
  parts.log.info(t('Wrote {0} request(s) of pool {1} to {2}{3}.', requests, pool.name, chosen.fsPath, showSecrets ? '' : t(', secrets masked')));
  if (!file) void vscode.window.showInformationMessage(t('Exported {0} request(s) to {1}.', requests, chosen.fsPath));
  return requests;
}
