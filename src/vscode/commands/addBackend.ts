// Local LB: Add Backend: a port or host:port, checked as it is typed, added to the pool's backends
// (`localLb.backends`, or its entry in `localLb.pools`).
import * as vscode from 'vscode';
import { DEFAULT_HOST, formatAddress, isLoopbackHost, parseAddress } from '../../balancer';
import { t } from '../l10n';
import type { Services } from '../services';
import { backendEntries, writeBackendEntries } from '../vsCodeSettings';
import { backendInputProblem } from './backendInput';
import { pickPool, type PoolTarget } from './pickPool';

/**
 * The running balancer follows the setting. `text` skips the input box; a bad value is refused
 * with a message naming it.
 */
export async function addBackend(parts: Pick<Services, 'balancer' | 'consent' | 'log'>, text?: string, target?: PoolTarget): Promise<boolean> {
  const { consent, log } = parts;
  const pool = await pickPool(parts, target, t('Add a backend to which pool?'));
  if (!pool) return false;
  const existing = pool.snapshot().backends;
  const answer =
    text ??
    (await vscode.window.showInputBox({
      title: t('Add Backend'),
      prompt: t('A port on this machine (8104) or host:port'),
      placeHolder: '8104',
      validateInput: (value) => (value.trim() === '' ? undefined : backendInputProblem(value, existing)),
    }));
  if (answer === undefined || answer.trim() === '') return false;
  const problem = backendInputProblem(answer, existing);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return false;
  }
  const backend = parseAddress(answer);
  if (!isLoopbackHost(backend.host)) await consent.allow([formatAddress(backend)]);
  await writeBackendEntries([...backendEntries(pool.name), backend.host === DEFAULT_HOST ? backend.port : answer.trim()], pool.name);
  log.info(t('Added backend {0} to pool {1}.', answer.trim(), pool.name));
  return true;
}
