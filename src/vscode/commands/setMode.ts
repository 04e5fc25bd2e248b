// Local LB: Balance Requests or Connections…: switches a pool's mode (`localLb.mode`, or its entry in
// `localLb.pools`) between HTTP and TCP mode.
import * as vscode from 'vscode';
import { MODES, type Mode } from '../../balancer';
import { t } from '../l10n';
import type { Services } from '../services';
import { writePoolSetting } from '../vsCodeSettings';
import { pickPool, type PoolTarget } from './pickPool';

/** With `mode` (tests, other callers), no question is asked. Returns whether the setting was written. */
export async function setMode(parts: Pick<Services, 'balancer'>, mode?: unknown, target?: PoolTarget): Promise<boolean> {
  const pool = await pickPool(parts, target, t('Change the mode of which pool?'));
  if (!pool) return false;
  const current = pool.snapshot().frontend.mode;
  const chosen = mode === undefined ? await askMode(current) : mode;
  if (chosen === undefined) return false;
  if (!(MODES as readonly unknown[]).includes(chosen)) {
    void vscode.window.showErrorMessage(t('Unknown mode {0}: expected one of {1}.', JSON.stringify(chosen), MODES.join(', ')));
    return false;
  }
  // The balancer follows its settings: a running frontend restarts in the new mode.
  await writePoolSetting(pool.name, 'mode', chosen);
  return true;
}

async function askMode(current: Mode): Promise<Mode | undefined> {
  type Item = vscode.QuickPickItem & { mode: Mode };
  const choices: Item[] = [
    { mode: 'http', label: t('HTTP: each request balanced'), detail: t('Counts requests, their answers and times; TLS and HTTP/2 pass through') },
    { mode: 'tcp', label: t('TCP: each connection balanced'), detail: t('Any protocol, bytes copied as they are; counts connections') },
  ];
  const items = choices.map((item) => (item.mode === current ? { ...item, description: t('current') } : item));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: t('What should Local LB balance?') });
  return picked?.mode;
}
