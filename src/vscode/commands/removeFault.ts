// Local LB: Remove Fault: lifts one fault from a backend, from its open connections too.
import * as vscode from 'vscode';
import { describeFault } from '../../balancer';
import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend } from './pickBackend';

/** The tree passes the fault's node; the palette nothing; other callers a backend and a fault name. */
export async function removeFault(parts: Pick<Services, 'balancer' | 'terminals'>, target?: BackendsNode | string, name?: string): Promise<boolean> {
  if (typeof target === 'object' && target.kind === 'fault') {
    parts.balancer.get(target.pool).removeFault(target.backend, target.name);
    return true;
  }
  const picked = await pickBackend(parts, target, t('Remove a fault from which backend?'), (candidate) => candidate.faults !== undefined);
  const backend = picked?.backend;
  if (!picked || !backend?.faults) return false;
  const fault =
    name !== undefined
      ? backend.faults.find((candidate) => candidate.name === name)
      : (await vscode.window.showQuickPick(backend.faults.map((candidate) => ({ label: describeFault(candidate), description: candidate.name, fault: candidate })), { placeHolder: t('Remove which fault?') }))?.fault;
  if (!fault) return false;
  picked.pool.removeFault(backend.id, fault.name);
  return true;
}
