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
}

export function readSettings(): SettingsRead {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const inspected = configuration.inspect('backends');
  return {
    ...parseSettings((key) => configuration.get(key)),
    backendsFromWorkspace: inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined,
  };
}

/** The raw `localLb.backends` entries (the defaults when the user set none). */
export function backendEntries(): unknown[] {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('backends');
  return Array.isArray(value) ? value : [];
}

export function writeBackendEntries(entries: unknown[]): Promise<void> {
  return writeSetting('backends', entries);
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
