import * as vscode from 'vscode';
import { formatAddress, parseAddress } from '../../balancer/address';
import { DEFAULT_HOST } from '../../balancer/options';
import { backendEntries, writeBackendEntries } from '../configuration';
import { t } from '../l10n';
import { backendInputProblem, isLoopbackHost } from '../settings';
import type { Services } from '../services';

/**
 * Adds a backend to `localLb.backends` (the running balancer follows the setting). `text` skips
 * the input box; a bad value is refused with a message naming it.
 */
export async function addBackend(services: Services, text?: string): Promise<boolean> {
  const existing = services.balancer.snapshot().backends;
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
  if (!isLoopbackHost(backend.host)) await services.consent.allow([formatAddress(backend)]);
  await writeBackendEntries([...backendEntries(), backend.host === DEFAULT_HOST ? backend.port : answer.trim()]);
  services.log.info(t('Added backend {0} to localLb.backends.', answer.trim()));
  return true;
}
