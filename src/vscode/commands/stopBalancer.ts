import * as vscode from 'vscode';
import { readSettings } from '../configuration';
import { t } from '../l10n';
import type { Services } from '../services';

/** Stops the balancer, letting open connections finish for the drain time. */
export async function stopBalancer(services: Services, { stopFlask = true } = {}): Promise<void> {
  if (!services.balancer.running) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: t('Stopping Local LB') },
    () => services.balancer.stop(),
  );
  if (stopFlask && readSettings().settings.stopFlaskWithBalancer) {
    services.terminals.stop();
  }
}
