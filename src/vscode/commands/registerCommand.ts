// Registers a command through one wrapper, as vscode-docker does with every command: an error it
// did not expect is reported once, in the log and a notification.
import * as vscode from 'vscode';
import { withErrorReport } from './errorReport';

export function registerCommand<A extends unknown[]>(id: string, handler: (...args: A) => unknown, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.commands.registerCommand(
    id,
    withErrorReport(id, handler, (message, details) => {
      log.error(details);
      void vscode.window.showErrorMessage(message);
    }),
  );
}
