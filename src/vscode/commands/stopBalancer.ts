// Local LB: Stop Balancer: open connections may finish for the drain time.
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { Services } from '../services';

export async function stopBalancer({ balancer, terminals }: Pick<Services, 'balancer' | 'terminals'>, { stopFlask = true } = {}): Promise<void> {
  if (!balancer.running) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: t('Stopping Local LB') }, () => balancer.stop());
  if (stopFlask && balancer.settings.stopFlaskWithBalancer) terminals.stop();
}
