// The context key `localLb.hasProcfile`: whether the first workspace folder has a Procfile, for
// the `when` clauses of Launch from Procfile….
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

export function followProcfile(): vscode.Disposable {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const update = (): void => void vscode.commands.executeCommand('setContext', 'localLb.hasProcfile', folder !== undefined && existsSync(join(folder.uri.fsPath, 'Procfile')));
  update();
  if (!folder) return new vscode.Disposable(() => undefined);
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, 'Procfile'));
  return vscode.Disposable.from(watcher, watcher.onDidCreate(update), watcher.onDidDelete(update));
}
