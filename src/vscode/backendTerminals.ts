// Launched copies in integrated terminals, one per port, named `web :8101`: each a pseudoterminal
// showing a process Local LB runs itself (src/launch), so that it knows the moment one exits.
import * as vscode from 'vscode';
import { AppCopy, fillIn, type AppCommand } from '../launch';
import { t } from './l10n';

interface Shown {
  copy: AppCopy;
  terminal: vscode.Terminal;
}

/** A copy that ended, or came back, for the balancer and the log. */
export interface CopyChange {
  port: number;
  /** `web.1`. */
  name: string;
  balanced: boolean;
  /** `exited with code 1`; undefined when it came back. */
  how?: string;
  restartInMs?: number;
}

/** What the tree tells of a port's terminal. */
export interface TerminalState {
  /** `Flask`, `web`. */
  label: string;
  running: boolean;
  restarts: number;
  /** How it last ended, while it does not run. */
  ended?: string;
}

/** How long a stopped copy has to end before it is killed. */
const STOP_GRACE_MS = 3000;
/** Lines kept for a terminal VS Code has not opened yet: the last ones, as a terminal's scrollback would. */
const WAITING_LINES = 1000;
const DIM = '\x1b[2m';
const PLAIN = '\x1b[0m';

/** How a copy is launched. */
export interface LaunchOptions {
  restart: boolean;
  /** Its port is a backend's: an exit marks it down. */
  balanced: boolean;
  /** Nothing in the settings says how it was launched (a Procfile's type): it is kept, to launch the same way again. */
  remember?: boolean;
}

/** How a port's copy was launched, to launch it the same way again. */
export interface LaunchedApp extends LaunchOptions {
  app: AppCommand;
}

export class BackendTerminals implements vscode.Disposable {
  private readonly shown = new Map<number, Shown>();
  /** The ports launched in this window as nothing in the settings says, kept after their terminals close. */
  private readonly launchedApps = new Map<number, LaunchedApp>();
  // A terminal closed by hand (or by anyone else) stops its copy.
  private readonly closing = vscode.window.onDidCloseTerminal((terminal) => this.closed(terminal));
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly copyChanged = new vscode.EventEmitter<CopyChange>();
  /** A terminal opened or closed, or a copy started or ended. */
  readonly onDidChange = this.changed.event;
  /** A copy exited while not stopped, or came back after a restart. */
  readonly onDidChangeCopy = this.copyChanged.event;

  isRunning(port: number): boolean {
    return this.shown.get(port)?.copy.running ?? false;
  }

  state(port: number): TerminalState | undefined {
    const shown = this.shown.get(port);
    if (!shown) return undefined;
    const { copy } = shown;
    return { label: copy.app.label, running: copy.running, restarts: copy.restarts, ended: copy.ended };
  }

  /** How the copy on `port` was last launched in this window, if the settings cannot say. */
  lastLaunch(port: number): LaunchedApp | undefined {
    return this.launchedApps.get(port);
  }

  /**
   * Starts a copy of `app` on each port that has none running, in a terminal of its own. The
   * process is Local LB's child and gets its arguments and environment as data: no shell reads them.
   */
  launch(ports: ReadonlyArray<{ port: number; index: number }>, app: AppCommand, options: LaunchOptions): { launched: AppCopy[]; alreadyRunning: number[] } {
    const launched: AppCopy[] = [];
    const alreadyRunning: number[] = [];
    for (const { port, index } of ports) {
      if (this.isRunning(port)) {
        alreadyRunning.push(port);
        continue;
      }
      // A terminal whose copy exited stays open to show why; the new one replaces it.
      this.close(port);
      launched.push(this.open(app, index, port, options));
      if (options.remember) this.launchedApps.set(port, { app, ...options });
      else this.launchedApps.delete(port);
    }
    if (launched.length > 0) this.changed.fire();
    return { launched, alreadyRunning };
  }

  /** Stops the copies of `ports`, or all of them, and closes their terminals; resolves when they are gone. */
  async stop(ports?: readonly number[]): Promise<number> {
    const chosen = [...this.shown.keys()].filter((port) => !ports || ports.includes(port));
    const copies = chosen.map((port) => this.close(port));
    if (chosen.length > 0) this.changed.fire();
    await Promise.all(copies.map((copy) => copy?.stop(STOP_GRACE_MS)));
    return chosen.length;
  }

  dispose(): void {
    void this.stop();
    this.closing.dispose();
    this.changed.dispose();
    this.copyChanged.dispose();
  }

  private open(app: AppCommand, index: number, port: number, { restart, balanced }: LaunchOptions): AppCopy {
    const write = new vscode.EventEmitter<string>();
    // Lines written before VS Code opens the terminal would be lost: they wait for it.
    let waiting: string[] | undefined = [];
    const print = (text: string): void => {
      if (!waiting) write.fire(text);
      else if (waiting.push(text) > WAITING_LINES) waiting.shift();
    };
    const copy = new AppCopy(app, index, port, restart, {
      line: (_copy, text, error) => print(`${error ? DIM : ''}${text}${error ? PLAIN : ''}\r\n`),
      exited: (ended, how, restartInMs) => {
        const next = restartInMs === undefined ? '' : t('; started again in {0} s', restartInMs / 1000);
        print(`\r\n${DIM}[${ended.name} ${how}${next}]${PLAIN}\r\n`);
        this.copyChanged.fire({ port, name: ended.name, balanced, how, restartInMs });
        this.changed.fire();
      },
      back: (back) => {
        print(`${DIM}[${t('{0} accepts connections again (restart {1})', back.name, back.restarts)}]${PLAIN}\r\n`);
        this.copyChanged.fire({ port, name: back.name, balanced });
        this.changed.fire();
      },
    });
    const pty: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      open: () => {
        for (const text of waiting ?? []) write.fire(text);
        waiting = undefined;
      },
      close: () => write.dispose(),
      handleInput: (data) => {
        if (data === '\x03') copy.signal('SIGINT');
      },
    };
    const terminal = vscode.window.createTerminal({
      name: `${app.label} :${port}`,
      pty,
      iconPath: new vscode.ThemeIcon('server-process'),
      // Copies are not restored with the window: the user launches them again.
      isTransient: true,
    });
    this.shown.set(port, { copy, terminal });
    const words = app.command.map((word) => fillIn(word, port, index));
    print(`${DIM}${words.join(' ')} ${t('(in {0})', fillIn(app.cwd, port, index))}${PLAIN}\r\n`);
    copy.start();
    return copy;
  }

  private closed(terminal: vscode.Terminal): void {
    for (const [port, shown] of this.shown) {
      if (shown.terminal !== terminal) continue;
      this.shown.delete(port);
      void shown.copy.stop(STOP_GRACE_MS);
      this.changed.fire();
    }
  }

  /** Forgets the port's terminal and closes it; returns its copy, to stop. */
  private close(port: number): AppCopy | undefined {
    const shown = this.shown.get(port);
    if (!shown) return undefined;
    this.shown.delete(port);
    shown.terminal.dispose();
    return shown.copy;
  }
}
