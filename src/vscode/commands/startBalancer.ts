// Local LB: Start Balancer: every pool, or the one of the tree row; a port in use is explained with a way out.
import * as vscode from 'vscode';
import { errorCode, findFreePort, parsePort } from '../../balancer';
import { t } from '../l10n';
import type { PoolService } from '../poolService';
import type { Services } from '../services';
import { belongsToApi, pickPool, type PoolTarget } from './pickPool';

type Parts = Pick<Services, 'balancer' | 'log'>;

/**
 * Starts every pool, or the pool of `target`; a number runs the only pool on that port for this
 * session (the setting stays). Resolves with whether they run. A pool that cannot start is named
 * with a way out, never by changing settings behind the user's back; the others start anyway.
 */
export async function startBalancer(parts: Parts, target?: PoolTarget | number): Promise<boolean> {
  const pools = parts.balancer.settingsPools;
  if (typeof target === 'number') {
    if (pools.length !== 1) {
      void vscode.window.showErrorMessage(t('A port for this session fits one pool; there are {0}. Start a pool from its row in the Backends view.', pools.length));
      return false;
    }
    return startPool(parts, pools[0], target);
  }
  if (target !== undefined) {
    const pool = await pickPool(parts, target, t('Start which pool?'));
    return pool && !belongsToApi(pool) ? startPool(parts, pool) : false;
  }
  const failures = await parts.balancer.start();
  for (const { pool, error } of failures) report(parts, pool, error);
  return failures.length === 0;
}

async function startPool(parts: Parts, pool: PoolService, port?: number): Promise<boolean> {
  try {
    await pool.start(port);
    return true;
  } catch (error) {
    report(parts, pool, error as Error);
    return false;
  }
}

function report(parts: Parts, pool: PoolService, error: Error): void {
  // With one pool, as before pools; with several, the pool is named.
  const message = parts.balancer.pools.length > 1 ? t('Pool {0}: {1}', pool.name, error.message) : error.message;
  parts.log.error(message);
  if (errorCode(error) === 'LLB_PORT_IN_USE') void offerAnotherPort(parts, pool, message);
  else void vscode.window.showErrorMessage(t('Local LB could not start: {0}', message));
}

async function offerAnotherPort(parts: Parts, pool: PoolService, message: string): Promise<void> {
  const openSettings = t('Open Settings');
  const another = t('Try Another Port');
  const choice = await vscode.window.showErrorMessage(t('Local LB could not start: {0}', message), openSettings, another);
  if (choice === openSettings) {
    const fromPools = parts.balancer.settings.pools.length > 0;
    await vscode.commands.executeCommand('workbench.action.openSettings', fromPools ? 'localLb.pools' : 'localLb.frontend.port');
  } else if (choice === another) {
    const suggestion = await findFreePort();
    const answer = await vscode.window.showInputBox({
      title: t('Start Local LB on another port'),
      prompt: t('Port for this session; the settings stay as they are.'),
      value: String(suggestion),
      validateInput: (text) => {
        try {
          parsePort(text, 'port');
          return undefined;
        } catch (problem) {
          return (problem as Error).message;
        }
      },
    });
    if (answer !== undefined) await startPool(parts, pool, parsePort(answer));
  }
}
