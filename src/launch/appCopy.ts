// One copy of an app on its port: a process group of its own, its output as lines, its exit told
// at once, started again with back-off when asked, and stopped with SIGTERM, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isListening } from '../balancer';
import type { AppCommand } from './appCommand';
import { fillIn } from './commandLine';
import { forgetGroup, watchGroup } from './groupWatcher';

/** What a copy's life tells its owner. */
export interface CopyEvents {
  /** A line the copy printed, or one of Local LB's own about it (`error` for its failures). */
  line(copy: AppCopy, text: string, error?: boolean): void;
  /** It ended while not being stopped; `restartInMs`: when it starts again, if it does. */
  exited(copy: AppCopy, how: string, restartInMs?: number): void;
  /** Started again, it accepts connections. */
  back(copy: AppCopy): void;
}

/** How long a copy may take to accept connections before it is no longer waited for. */
export const READY_TIMEOUT_MS = 30_000;
const FIRST_RESTART_MS = 1000;
const LONGEST_RESTART_MS = 30_000;
/** A copy that ran this long before it exited had settled: its next restart waits the first pause again. */
const SETTLED_MS = 30_000;

export class AppCopy {
  /** Times it was started again. */
  restarts = 0;
  /** The restarts in a row without a long run between them: the next pause doubles with each. */
  failures = 0;
  startedAt = 0;
  /** How it last ended (`exited with code 1`), while it is not running. */
  ended?: string;
  private child?: ChildProcess;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;

  constructor(
    readonly app: AppCommand,
    /** From 1: `{index}`, and the `.2` of `web.2`. */
    readonly index: number,
    readonly port: number,
    private readonly restart: boolean,
    private readonly events: CopyEvents,
  ) {}

  get name(): string {
    return `${this.app.label}.${this.index}`;
  }

  /** Started, and not ended since: an exit, or a program that could not start, says how it ended. */
  get running(): boolean {
    return this.child !== undefined && this.ended === undefined;
  }

  /** Starts the process: arguments, environment and folder with `{port}` and `{index}` filled in, `PORT` set. */
  start(): void {
    const fill = (text: string): string => fillIn(text, this.port, this.index);
    const [program, ...args] = this.app.command.map(fill);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(this.port) };
    for (const [name, value] of Object.entries(this.app.env)) env[name] = fill(value);
    const child = spawn(program, args, { cwd: fill(this.app.cwd), env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.ended = undefined;
    // However this process ends (SIGKILL included), the copy's group ends with it.
    const { pid } = child;
    if (pid !== undefined) watchGroup(pid);
    this.startedAt = Date.now();
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (text) => this.events.line(this, text));
    }
    // A program that cannot start (not found, not allowed) ends without an exit event.
    child.on('error', (error) => {
      this.events.line(this, `could not start ${JSON.stringify(program)}: ${error.message}`, true);
      this.ended ??= 'could not start';
    });
    child.once('exit', (code, signalName) => {
      if (pid !== undefined) forgetGroup(pid);
      this.onExit(signalName ? `was killed by ${signalName}` : `exited with code ${code}`);
    });
  }

  /** Whether it accepts a connection before `deadline`, trying every 50 ms; false once it ended. */
  async acceptsBy(deadline: number): Promise<boolean> {
    const child = this.child;
    while (Date.now() < deadline && this.child === child && this.running) {
      if (await isListening(this.port)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  /** A signal to the whole process group: a copy's children (npm's node, `go run`'s program) get it too. */
  signal(name: NodeJS.Signals): void {
    try {
      if (this.child?.pid !== undefined) process.kill(-this.child.pid, name);
    } catch {
      // Gone already.
    }
  }

  /** SIGTERM to its process group, SIGKILL if it is still there after `graceMs`; resolves when it is gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }

  private onExit(how: string): void {
    this.ended = how;
    if (this.stopping) return;
    if (!this.restart) return this.events.exited(this, how);
    const pause = restartPause(this, Date.now());
    this.events.exited(this, how, pause);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      this.restarts++;
      this.start();
      void this.acceptsBy(Date.now() + READY_TIMEOUT_MS).then((accepting) => accepting && !this.stopping && this.events.back(this));
    }, pause);
  }
}

/**
 * How long a copy waits before it starts again, having exited at `now`: 1 s, doubling with each exit
 * in a row to 30 s; a copy that had run 30 s had settled, and waits 1 s again. Counts the exit.
 */
export function restartPause(copy: Pick<AppCopy, 'failures' | 'startedAt'>, now: number): number {
  if (now - copy.startedAt >= SETTLED_MS) copy.failures = 0;
  const pause = Math.min(FIRST_RESTART_MS * 2 ** copy.failures, LONGEST_RESTART_MS);
  copy.failures++;
  return pause;
}
