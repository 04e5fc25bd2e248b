// The backend a command acts on: the tree item it was invoked on, an id or port given as an
// argument (`api/8101` naming its pool), or the user's choice in a quick pick.
import * as vscode from 'vscode';
import { findBackend, type BackendSnapshot } from '../../balancer';
import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import type { PoolService } from '../poolService';
import { backendDescription, backendLabel } from '../presentation';
import type { Services } from '../services';

/** Tree items pass their node; the palette passes nothing; tests and other callers `[pool/]id` or a port. */
export type BackendTarget = BackendsNode | string | undefined;

/** A backend and its pool. */
export interface PickedBackend {
  pool: PoolService;
  backend: BackendSnapshot;
}

export async function pickBackend(
  { balancer, terminals }: Pick<Services, 'balancer' | 'terminals'>,
  target: BackendTarget,
  placeHolder: string,
  eligible: (backend: BackendSnapshot) => boolean = () => true,
): Promise<PickedBackend | undefined> {
  const several = balancer.pools.length > 1;
  const candidates = balancer.pools.flatMap((pool) => {
    const { backends, frontend } = pool.snapshot();
    return backends.map((backend) => ({ pool, backend, listening: frontend.listening }));
  });
  if (target !== undefined) {
    const text = typeof target === 'string' ? target : '';
    const slash = text.indexOf('/');
    const poolName = typeof target === 'object' ? target.pool : slash > 0 ? text.slice(0, slash) : undefined;
    const wanted = typeof target === 'object' ? (target.kind === 'pool' ? '' : target.kind === 'backend' ? target.id : target.backend) : slash > 0 ? text.slice(slash + 1) : text;
    const inPools = balancer.pools.filter((pool) => poolName === undefined || pool.name === poolName);
    const found = inPools.flatMap((pool) => {
      const backend = findBackend(pool.snapshot().backends, wanted);
      return backend ? [{ pool, backend }] : [];
    });
    if (found.length === 0) void vscode.window.showErrorMessage(t('There is no backend {0}.', JSON.stringify(typeof target === 'string' ? target : wanted)));
    // The same backend in several pools, none named: the user says which.
    if (found.length <= 1) return found[0];
    return choose(found.map(({ pool, backend }) => ({ pool, backend, listening: pool.running })), placeHolder, true, terminals);
  }
  const fitting = candidates.filter(({ backend }) => eligible(backend));
  if (fitting.length === 0) {
    void vscode.window.showInformationMessage(t('No backend fits: {0}', placeHolder));
    return undefined;
  }
  return choose(fitting, placeHolder, several, terminals);
}

async function choose(
  candidates: ReadonlyArray<PickedBackend & { listening: boolean }>,
  placeHolder: string,
  withPool: boolean,
  terminals: Services['terminals'],
): Promise<PickedBackend | undefined> {
  const picked = await vscode.window.showQuickPick(
    candidates.map(({ pool, backend, listening }) => {
      const description = backendDescription(backend, listening, terminals.state(backend.port));
      return { label: backendLabel(backend), description: withPool ? `${pool.name} · ${description}` : description, pool, backend };
    }),
    { placeHolder },
  );
  return picked && { pool: picked.pool, backend: picked.backend };
}
