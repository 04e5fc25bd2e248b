// Local LB: Stop Balancer: every pool, or the one of the tree row; open connections may finish for the drain time.
import * as vscode from 'vscode';
import { t } from '../l10n';
import type { Services } from '../services';
import { belongsToApi, pickPool, type PoolTarget } from './pickPool';

export async function stopBalancer(parts: Pick<Services, 'balancer' | 'terminals'>, target?: PoolTarget, { stopFlask = true } = {}): Promise<void> {
  const { balancer, terminals } = parts;
  if (target !== undefined) {
    const pool = await pickPool(parts, target, t('Stop which pool?'));
    if (pool && !belongsToApi(pool)) await pool.stop(balancer.settings.drainMs);
    return;
  }
  if (!balancer.running) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: t('Stopping Local LB') }, () => balancer.stop());
  if (stopFlask && balancer.settings.stopFlaskWithBalancer) terminals.stop();
}
