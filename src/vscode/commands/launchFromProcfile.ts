// Local LB: Launch from Procfile…: the workspace's Procfile, copies of one process type as a pool's
// backends, the other types once beside them, unbalanced, each copy in a terminal named `web :8101`.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ConfigError, DEFAULT_HOST } from '../../balancer';
import { DEFAULT_BASE_PORT, defaultLaunch, parseReplicas, readProcfile, type LaunchSpec, type ProcessType } from '../../launch';
import { t } from '../l10n';
import { freeBackendPorts, launchOnPorts, mayLaunch, workspaceFolder, type LaunchParts } from '../launching';
import { backendEntries, writeBackendEntries } from '../vsCodeSettings';
import { pickPool, type PoolTarget } from './pickPool';

export async function launchFromProcfile(parts: LaunchParts, target?: PoolTarget): Promise<number[]> {
  if (!mayLaunch(parts.log)) return [];
  const folder = workspaceFolder();
  let types: ProcessType[];
  try {
    types = readProcfile(join(folder, 'Procfile'));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    void vscode.window.showErrorMessage(error.message);
    return [];
  }
  const pool = await pickPool(parts, target, t('Balance the Procfile\'s copies in which pool?'));
  if (!pool) return [];
  const type = await pickType(types);
  if (!type) return [];
  const local = pool.snapshot().backends.filter((backend) => backend.host === DEFAULT_HOST).map((backend) => backend.port);
  const replicasText = await vscode.window.showInputBox({
    title: t('Copies of {0}', type.name),
    prompt: t('How many copies of "{0}" to balance, 1 to 32: they listen on the pool\'s backends, or on free ports from {1}.', type.name, DEFAULT_BASE_PORT),
    value: String(local.length || 3),
    validateInput: (text) => problem(() => parseReplicas(text.trim(), 'copies')),
  });
  if (replicasText === undefined) return [];
  const replicas = parseReplicas(replicasText.trim(), 'copies');
  const spec = (command: string[], count: number): LaunchSpec => {
    const own: LaunchSpec = { ...defaultLaunch(), command, replicas: count };
    delete own.preset;
    return own;
  };
  const added = await freeBackendPorts(parts, { basePort: DEFAULT_BASE_PORT, replicas: Math.max(0, replicas - local.length) });
  if (added.length > 0) {
    await writeBackendEntries([...backendEntries(pool.name), ...added], pool.name);
    parts.log.info(t('Added backends {0} to pool {1}.', added.join(', '), pool.name));
  }
  const ports = [...local.slice(0, replicas), ...added];
  const launched = await launchOnPorts(parts, pool.name, spec(type.command, replicas), ports, { label: type.name, remember: true });
  const others = types.filter((other) => other !== type);
  // The other types get ports of their own in PORT, past the backends', though they need not listen.
  const otherPorts = await freeBackendPorts(parts, { basePort: Math.max(DEFAULT_BASE_PORT, ...ports) + 1, replicas: others.length });
  for (const [i, other] of others.entries()) await launchOnPorts(parts, pool.name, spec(other.command, 1), [otherPorts[i]], { balanced: false, label: other.name, remember: true });
  return launched;
}

/** The type to balance: the only one, or the user's pick, `web` offered first. */
async function pickType(types: ProcessType[]): Promise<ProcessType | undefined> {
  if (types.length === 1) return types[0];
  const ordered = [...types].sort((a, b) => Number(b.name === 'web') - Number(a.name === 'web'));
  const picked = await vscode.window.showQuickPick(
    ordered.map((type) => ({ label: type.name, description: type.command.join(' '), type })),
    { title: t('Launch from Procfile'), placeHolder: t('Which process type takes the traffic? The others run once beside it.') },
  );
  return picked?.type;
}

function problem(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
}
