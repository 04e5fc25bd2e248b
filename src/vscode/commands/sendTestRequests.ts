// Local LB: Send Test Requests: GETs through the frontend; each answer to the log, a summary to a notification.
import * as vscode from 'vscode';
import type { TestRequestResult } from '../../balancer';
import { t } from '../l10n';
import { backendLabel, testRequestsSummary } from '../presentation';
import type { Services } from '../services';
import { pickPool, type PoolTarget } from './pickPool';

const MAX_REQUESTS = 1000;

/** Sends `count` (asked for, 10 by default) GETs through the pool's frontend. */
export async function sendTestRequests(parts: Pick<Services, 'balancer' | 'log'>, count?: number, target?: PoolTarget): Promise<TestRequestResult[]> {
  const { log } = parts;
  const pool = await pickPool(parts, target, t('Send test requests to which pool?'));
  if (!pool) return [];
  if (!pool.running) {
    const start = t('Start Balancer');
    void vscode.window
      .showWarningMessage(t('The balancer is not running.'), start)
      .then((choice) => choice === start && vscode.commands.executeCommand('localLb.start', pool.name));
    return [];
  }
  const n = count ?? (await askCount());
  if (n === undefined) return [];
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Sending {0} requests through Local LB', n) },
    () => pool.sendTestRequests(n),
  );
  const { backends } = pool.snapshot();
  const labels = new Map(backends.map((backend) => [backend.id, backendLabel(backend)]));
  results.forEach(({ backend, status, body, error, durationMs }, i) => {
    const where = backend ? (labels.get(backend) ?? backend) : t('no backend');
    const ms = Math.round(durationMs);
    log.info(error ? t('Request {0}: {1} failed after {2} ms: {3}', i + 1, where, ms, error) : t('Request {0}: {1} answered {2} in {3} ms: {4}', i + 1, where, status ?? '', ms, body ?? ''));
  });
  const summary = testRequestsSummary(results, backends);
  log.info(summary);
  void vscode.window.showInformationMessage(summary);
  return results;
}

async function askCount(): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title: t('Send Test Requests'),
    prompt: t('How many HTTP GET requests to send through the balancer'),
    value: '10',
    validateInput: (text) =>
      /^[1-9]\d*$/.test(text.trim()) && Number(text) <= MAX_REQUESTS
        ? undefined
        : t('Invalid count {0}: expected a whole number from 1 to {1}.', JSON.stringify(text), MAX_REQUESTS),
  });
  return answer === undefined ? undefined : Number(answer.trim());
}
