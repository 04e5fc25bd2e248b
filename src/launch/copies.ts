// Replicas: N copies of an app on the first free ports from a base port (ports in use skipped,
// and said), waited for until they accept connections, stopped together.
import { ConfigError, isPortFree } from '../balancer';
import type { AppCommand } from './appCommand';
import { AppCopy, READY_TIMEOUT_MS, type CopyEvents } from './appCopy';

export interface ReplicaPlan {
  app: AppCommand;
  replicas: number;
  /** The first port tried. */
  basePort: number;
  restart: boolean;
  /** Ports not to take, though free: another launch's, whose copies may not listen yet. */
  taken?: ReadonlySet<number>;
}

const HIGHEST_PORT = 65535;

export class Copies {
  readonly copies: AppCopy[] = [];

  /** `skipped` is told of each port passed over because something listens on it. */
  constructor(
    private readonly plan: ReplicaPlan,
    private readonly events: CopyEvents,
    private readonly skipped: (port: number) => void,
  ) {}

  /** Starts every copy on the first free ports from the base port; resolves with the ports. */
  async start(): Promise<number[]> {
    const ports = await freePorts(this.plan.basePort, this.plan.replicas, this.plan.taken ?? new Set(), this.skipped);
    ports.forEach((port, i) => {
      const copy = new AppCopy(this.plan.app, i + 1, port, this.plan.restart, this.events);
      this.copies.push(copy);
      copy.start();
    });
    return ports;
  }

  /** Resolves once every copy accepts connections (or has waited its time, or ended). */
  async ready(): Promise<void> {
    await Promise.all(this.copies.map((copy) => copy.acceptsBy(Date.now() + READY_TIMEOUT_MS)));
  }

  /** Stops every copy (SIGTERM, SIGKILL after `graceMs`); resolves when all are gone. */
  async stop(graceMs: number): Promise<void> {
    await Promise.all(this.copies.map((copy) => copy.stop(graceMs)));
  }
}

/** `count` ports from `from` that nothing listens on and no other launch took. */
export async function freePorts(from: number, count: number, taken: ReadonlySet<number>, skipped: (port: number) => void): Promise<number[]> {
  const ports: number[] = [];
  for (let port = from; ports.length < count && port <= HIGHEST_PORT; port++) {
    if (taken.has(port)) continue;
    if (await isPortFree(port)) ports.push(port);
    else skipped(port);
  }
  if (ports.length < count) throw new ConfigError(`Only ${ports.length} free ports from ${from}: ${count} copies need ${count}.`);
  return ports;
}
