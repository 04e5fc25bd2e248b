// The backend a command acts on: the tree item it was invoked on, an id or port given as an
// argument, or the user's choice in a quick pick.
import * as vscode from 'vscode';
import { findBackend, type BackendSnapshot } from '../../balancer';
import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import { backendDescription, backendLabel } from '../presentation';
import type { Services } from '../services';

/** Tree items pass their node; the palette passes nothing; tests and other callers an id or port. */
export type BackendTarget = BackendsNode | string | undefined;

export async function pickBackend(
  { balancer, terminals }: Pick<Services, 'balancer' | 'terminals'>,
  target: BackendTarget,
  placeHolder: string,
  eligible: (backend: BackendSnapshot) => boolean = () => true,
): Promise<BackendSnapshot | undefined> {
  const { backends, frontend } = balancer.snapshot();
  if (target !== undefined) {
    const wanted = typeof target === 'string' ? target : target.kind === 'backend' ? target.id : '';
    const found = findBackend(backends, wanted);
    if (!found) void vscode.window.showErrorMessage(t('There is no backend {0}.', JSON.stringify(wanted)));
    return found;
  }
  const candidates = backends.filter(eligible);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(t('No backend fits: {0}', placeHolder));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((backend) => ({
      label: backendLabel(backend),
      description: backendDescription(backend, frontend.listening, terminals.isRunning(backend.port)),
      backend,
    })),
    { placeHolder },
  );
  return picked?.backend;
}
