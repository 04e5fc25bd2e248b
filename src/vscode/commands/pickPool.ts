// The pool a command acts on: the tree row it was run from, a name given as an argument, the only
// pool, or the user's choice in a quick pick.
import * as vscode from 'vscode';
import { NotFoundError } from '../../balancer';
import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import type { PoolService } from '../poolService';
import { frontendLabel, poolDescription } from '../presentation';
import type { Services } from '../services';

/** Whether `pool` is toxiproxy's API's, whose life the API decides: then the user is told so, and it is not started or stopped here. */
export function belongsToApi(pool: PoolService): boolean {
  if (pool.origin !== 'toxiproxy') return false;
  void vscode.window.showInformationMessage(t('Pool {0} is a proxy of the toxiproxy API: enable or disable it there (PATCH /proxies/{0} with "enabled").', pool.name));
  return true;
}

/** Tree rows pass their node; the palette nothing; tests and other callers a pool's name. */
export type PoolTarget = BackendsNode | string | undefined;

export async function pickPool({ balancer }: Pick<Services, 'balancer'>, target: PoolTarget, placeHolder: string): Promise<PoolService | undefined> {
  const { pools } = balancer;
  if (target !== undefined) {
    try {
      return balancer.get(typeof target === 'string' ? target : target.pool);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      void vscode.window.showErrorMessage(error.message);
      return undefined;
    }
  }
  if (pools.length <= 1) return pools[0];
  const picked = await vscode.window.showQuickPick(
    pools.map((pool) => {
      const { frontend, backends } = pool.snapshot();
      return { label: pool.name, description: frontend.listening ? poolDescription(frontend, backends) : `${frontendLabel(frontend)} ${t('stopped')}`, pool };
    }),
    { placeHolder },
  );
  return picked?.pool;
}
