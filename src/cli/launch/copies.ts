// `--launch … --replicas N`: N copies of the app, each in a process group of its own on its port,
// their output prefixed with the copy (`web.2 | …`, as foreman does), stopped with the balancer.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { isListening, isPortFree } from '../../balancer';
import { fillIn } from './commandLine';

export interface LaunchPlan {
  /** The command's words, `{port}` and `{index}` in them. */
  command: string[];
  replicas: number;
  /** The first port tried; ports in use are skipped. */
  basePort: number;
  /** What the output lines start with: `NAME.INDEX | `. */
  name: string;
  /** A copy that exits is started again, after 1 s, doubling to 30 s while it keeps exiting. */
  restart: boolean;
}

export interface Copy {
  index: number;
  port: number;
  child: ChildProcess;
  /** Times it was started again. */
  restarts: number;
  /** The restarts in a row without a long run between them: the next pause doubles with each. */
  failures: number;
  startedAt: number;
}

/** What a copy's life tells the balancer. */
export interface CopyEvents {
  /** It ended while not being stopped; `restartInMs`: when it starts again, if it does. */
  exited(copy: Copy, how: string, restartInMs?: number): void;
  /** Started again, it accepts connections. */
  back(copy: Copy): void;
}

/** How long a copy may take to accept connections before the balancer starts without waiting for it. */
const READY_TIMEOUT_MS = 30_000;
const HIGHEST_PORT = 65535;
const FIRST_RESTART_MS = 1000;
const LONGEST_RESTART_MS = 30_000;
/** A copy that ran this long before it exited had settled: its next restart waits the first pause again. */
const SETTLED_MS = 30_000;

export class Copies {
  readonly copies: Copy[] = [];
  private stopping = false;
  private readonly restarts = new Set<NodeJS.Timeout>();

  /** `say` prints a line of Local LB's own; `events` are told of a copy's exit and return. */
  constructor(
    private readonly plan: LaunchPlan,
    private readonly say: (line: string) => void,
    private readonly events: CopyEvents,
  ) {}

  /** Starts every copy on the first free ports from the base port; resolves with the ports. */
  async start(): Promise<number[]> {
    // However local-lb ends (an error it did not expect included), its copies end with it.
    process.once('exit', () => {
      for (const { child } of this.copies) signal(child, 'SIGTERM');
    });
    const ports = await freePorts(this.plan.basePort, this.plan.replicas, (port) => this.say(`Port ${port} is in use: the next one is tried`));
    ports.forEach((port, i) => this.copies.push(this.launch(i + 1, port)));
    return ports;
  }

  /** Resolves once every copy accepts connections (or has waited its time, or exited). */
  async ready(): Promise<void> {
    await Promise.all(this.copies.map((copy) => acceptsBy(copy, Date.now() + READY_TIMEOUT_MS)));
  }

  /** SIGTERM to every copy's process group, SIGKILL to those still there after `graceMs`; resolves when all are gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const timer of this.restarts) clearTimeout(timer);
    const running = this.copies.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    const gone = Promise.all(running.map(({ child }) => new Promise((resolve) => child.once('exit', resolve))));
    for (const { child } of running) signal(child, 'SIGTERM');
    const timer = setTimeout(() => {
      for (const { child } of running) signal(child, 'SIGKILL');
    }, graceMs);
    await gone;
    clearTimeout(timer);
  }

  /** Starts copy `index` on `port`: a new one, or `again` started anew. */
  private launch(index: number, port: number, again?: Copy): Copy {
    const [program, ...args] = fillIn(this.plan.command, port, index);
    const child = spawn(program, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: String(port) } });
    const copy = again ?? { index, port, child, restarts: 0, failures: 0, startedAt: 0 };
    copy.child = child;
    copy.startedAt = Date.now();
    const prefix = `${this.plan.name}.${index} | `;
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => process.stderr.write(`${prefix}${line}\n`));
    }
    child.on('error', (error) => this.say(`${prefix}could not start ${JSON.stringify(program)}: ${error.message}`));
    child.once('exit', (code, signalName) => {
      if (this.stopping) return;
      const how = signalName ? `was killed by ${signalName}` : `exited with code ${code}`;
      if (!this.plan.restart) {
        this.events.exited(copy, how);
        return;
      }
      const pause = restartPause(copy, Date.now());
      this.events.exited(copy, how, pause);
      const timer = setTimeout(() => {
        this.restarts.delete(timer);
        if (this.stopping) return;
        copy.restarts++;
        this.launch(index, port, copy);
        void acceptsBy(copy, Date.now() + READY_TIMEOUT_MS).then((accepting) => accepting && !this.stopping && this.events.back(copy));
      }, pause);
      this.restarts.add(timer);
    });
    return copy;
  }
}

/**
 * How long copy waits before it starts again, having exited at `now`: 1 s, doubling with each exit
 * in a row to 30 s; a copy that had run 30 s had settled, and waits 1 s again. Counts the exit.
 */
export function restartPause(copy: Pick<Copy, 'failures' | 'startedAt'>, now: number): number {
  if (now - copy.startedAt >= SETTLED_MS) copy.failures = 0;
  const pause = Math.min(FIRST_RESTART_MS * 2 ** copy.failures, LONGEST_RESTART_MS);
  copy.failures++;
  return pause;
}

/** `count` ports from `from` that nothing listens on. */
async function freePorts(from: number, count: number, skipped: (port: number) => void): Promise<number[]> {
  const ports: number[] = [];
  for (let port = from; ports.length < count && port <= HIGHEST_PORT; port++) {
    if (await isPortFree(port)) ports.push(port);
    else skipped(port);
  }
  if (ports.length < count) throw new Error(`Only ${ports.length} free ports from ${from}: ${count} copies need ${count}.`);
  return ports;
}

/** The whole process group: a copy's children (npm's node, a shell's program) stop with it. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, name);
  } catch {
    // Gone already.
  }
}

/** Whether the copy accepts a connection before `deadline`, trying every 50 ms; false once it exited. */
async function acceptsBy(copy: Copy, deadline: number): Promise<boolean> {
  while (Date.now() < deadline && copy.child.exitCode === null && copy.child.signalCode === null) {
    if (await isListening(copy.port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
