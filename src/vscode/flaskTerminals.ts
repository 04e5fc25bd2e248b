// Flask backends in integrated terminals, one per port, named "Flask :8101".
import * as vscode from 'vscode';
import { t } from './l10n';
import { flaskMessage, type FlaskSettings } from './settingsParser';

export class FlaskTerminals implements vscode.Disposable {
  private readonly terminals = new Map<number, vscode.Terminal>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly sampleApp: vscode.Uri) {
    this.subscriptions = [
      // A terminal closed by hand, or whose Flask exited, no longer counts as running.
      vscode.window.onDidCloseTerminal((terminal) => this.forget(terminal)),
      this.changed,
    ];
  }

  isRunning(port: number): boolean {
    const terminal = this.terminals.get(port);
    return terminal !== undefined && terminal.exitStatus === undefined;
  }

  /**
   * Opens a terminal running Flask for each port that has none running. Python is the terminal's
   * own process and every value from settings is an argument or an environment variable: no
   * shell ever reads them, so nothing in them can run as a command.
   */
  launch(ports: readonly number[], flask: FlaskSettings): { launched: number[]; alreadyRunning: number[] } {
    const launched: number[] = [];
    const alreadyRunning: number[] = [];
    for (const port of ports) {
      if (this.isRunning(port)) {
        alreadyRunning.push(port);
        continue;
      }
      // A terminal whose Flask exited stays open to show why; the new one replaces it.
      this.terminals.get(port)?.dispose();
      const app = flask.appPath || this.sampleApp.fsPath;
      const terminal = vscode.window.createTerminal({
        name: t('Flask :{0}', port),
        shellPath: flask.pythonPath,
        shellArgs: ['-m', 'flask', 'run', '--port', String(port)],
        env: { ...flask.env, FLASK_APP: app, MSG: flaskMessage(flask.messageTemplate, port) },
        cwd: vscode.workspace.workspaceFolders?.[0]?.uri,
        iconPath: new vscode.ThemeIcon('server-process'),
        // Flask processes are not restored with the window: the user launches them again.
        isTransient: true,
      });
      this.terminals.set(port, terminal);
      launched.push(port);
    }
    if (launched.length > 0) this.changed.fire();
    return { launched, alreadyRunning };
  }

  /** Closes the terminals of `ports`, or all of them. */
  stop(ports?: readonly number[]): number {
    let stopped = 0;
    for (const [port, terminal] of [...this.terminals]) {
      if (ports && !ports.includes(port)) continue;
      this.terminals.delete(port);
      terminal.dispose();
      stopped++;
    }
    if (stopped > 0) this.changed.fire();
    return stopped;
  }

  dispose(): void {
    this.stop();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private forget(terminal: vscode.Terminal): void {
    for (const [port, known] of this.terminals) {
      if (known === terminal) {
        this.terminals.delete(port);
        this.changed.fire();
      }
    }
  }
}
