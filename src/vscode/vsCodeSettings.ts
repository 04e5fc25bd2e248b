// Reads and writes the `localLb.*` settings in VS Code; `settingsParser.ts` validates what is read.
import * as vscode from 'vscode';
import { parseSettings, type ExtensionSettings } from './settingsParser';

const SECTION = 'localLb';

export interface SettingsRead {
  settings: ExtensionSettings;
  /** One message per bad value, naming it; its default was used. */
  problems: string[];
  /** Whether the `localLb.backends` in effect comes from the workspace's settings, not the user's. */
  backendsFromWorkspace: boolean;
  /** The same for `localLb.pools`. */
  poolsFromWorkspace: boolean;
}

export function readSettings(): SettingsRead {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const fromWorkspace = (key: string): boolean => {
    const inspected = configuration.inspect(key);
    return inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined;
  };
  return {
    ...parseSettings((key) => configuration.get(key)),
    backendsFromWorkspace: fromWorkspace('backends'),
    poolsFromWorkspace: fromWorkspace('pools'),
  };
}

/** The raw `localLb.backends` entries of the pool (the defaults when the user set none). */
export function backendEntries(pool = 'default'): unknown[] {
  const entry = poolEntry(pool);
  const value = entry ? entry.backends : vscode.workspace.getConfiguration(SECTION).get<unknown>('backends');
  return Array.isArray(value) ? value : [];
}

export function writeBackendEntries(entries: unknown[], pool = 'default'): Promise<void> {
  return writePoolSetting(pool, 'backends', entries);
}

/**
 * Writes a field of a pool: in its entry of `localLb.pools`, or, for the pool `default` of the
 * other settings, `localLb.KEY` itself (`backends`, `mode`, …, named alike in both).
 */
export async function writePoolSetting(pool: string, key: string, value: unknown): Promise<void> {
  const pools = vscode.workspace.getConfiguration(SECTION).get<unknown>('pools');
  if (!poolEntry(pool) || !Array.isArray(pools)) return writeSetting(key, value);
  const changed = pools.map((entry: unknown) => (isPoolEntry(entry, pool) ? { ...entry, [key]: value } : entry));
  await writeSetting('pools', changed);
}

/** The raw entry of `localLb.pools` named `pool`, if there is one. */
function poolEntry(pool: string): Record<string, unknown> | undefined {
  const pools = vscode.workspace.getConfiguration(SECTION).get<unknown>('pools');
  return Array.isArray(pools) ? pools.find((entry: unknown): entry is Record<string, unknown> => isPoolEntry(entry, pool)) : undefined;
}

function isPoolEntry(entry: unknown, pool: string): entry is Record<string, unknown> {
  return typeof entry === 'object' && entry !== null && (entry as { name?: unknown }).name === pool;
}

/**
 * Writes `localLb.KEY` where it is set now (workspace or user settings), or in the workspace when
 * it is set nowhere and a folder is open.
 */
export async function writeSetting(key: string, value: unknown): Promise<void> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const inspected = configuration.inspect(key);
  const target =
    inspected?.workspaceValue !== undefined || (inspected?.globalValue === undefined && vscode.workspace.workspaceFolders)
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await configuration.update(key, value, target);
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) listener();
  });
}
