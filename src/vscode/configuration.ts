// Reading and writing the `localLb.*` settings in VS Code.
import * as vscode from 'vscode';
import { parseSettings, type ExtensionSettings } from './settings';

const SECTION = 'localLb';

export function readSettings(): { settings: ExtensionSettings; problems: string[] } {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  return parseSettings((key) => configuration.get(key));
}

/** The raw `localLb.backends` entries (the defaults when the user set none). */
export function backendEntries(): unknown[] {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('backends');
  return Array.isArray(value) ? value : [];
}

/** Whether the `localLb.backends` in effect comes from the workspace's settings, not the user's. */
export function backendsComeFromWorkspace(): boolean {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect('backends');
  return inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined;
}

/**
 * Writes `localLb.backends` where it is set now (workspace or user settings), or in the
 * workspace when it is set nowhere and a folder is open.
 */
export async function writeBackendEntries(entries: unknown[]): Promise<void> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const inspected = configuration.inspect('backends');
  const target =
    inspected?.workspaceValue !== undefined || (inspected?.globalValue === undefined && vscode.workspace.workspaceFolders)
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await configuration.update('backends', entries, target);
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SECTION)) listener();
  });
}
