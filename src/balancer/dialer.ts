// Connecting to a backend, the one way for TCP mode's connections, HTTP mode's backend connections
// and health checks: at the address that answered last, the other loopback address tried once when
// one refuses, each try within a connect timeout, and the address that answered remembered.
import { formatAddress } from './address';
import type { Backend } from './backend';
import { Deadlines, type Deadline } from './deadlines';
import { ConnectTimeoutError } from './errors';
import { otherLoopback } from './hosts';
import { isRefused } from './socketErrors';
import type { Address } from './types';

/** When each connect in progress gives up: one timer for all of them (a timer each costs more). */
const connectDeadlines = new Deadlines();

/**
 * How to try one address on behalf of `on` (a client, a checker): `open` starts it and calls `done`
 * once, unless `abort`ed first. Made once per user, not per dial.
 */
export interface DialMethod<T, On> {
  open(address: Address, on: On, done: (error?: Error) => void): T;
  /** Gives a try up: its `done` is not called then. */
  abort(opened: T): void;
}

/** A dial under way. */
export interface Dialling {
  /** Gives it up (its client left): `done` is not called. */
  abort(): void;
}

/**
 * Connects to `backend` with `method`: `done` gets what was opened, or why it could not be (the
 * error of the backend's own address when its other loopback address failed too). `timeoutMs` 0:
 * the method keeps its own time (a health check's timeout covers its whole check).
 */
export function dial<T, On>(backend: Backend, timeoutMs: number, method: DialMethod<T, On>, on: On, done: (error: Error | undefined, opened: T) => void): Dialling {
  const dialling = new Dial(backend, timeoutMs, method, on, done);
  dialling.try(backend.connectHost);
  return dialling;
}

class Dial<T, On> implements Dialling {
  private opened!: T;
  private deadline?: Deadline;
  /** The first try's error, when the other loopback address is tried after it. */
  private firstError?: Error;

  constructor(
    private readonly backend: Backend,
    private readonly timeoutMs: number,
    private readonly method: DialMethod<T, On>,
    private readonly on: On,
    private readonly done: (error: Error | undefined, opened: T) => void,
  ) {}

  try(host: string): void {
    const address = { host, port: this.backend.spec.port };
    this.opened = this.method.open(address, this.on, (error) => this.settled(host, error));
    if (this.timeoutMs > 0) this.deadline = connectDeadlines.set(this.timeoutMs, () => this.timedOut(address));
  }

  private settled(host: string, error: Error | undefined): void {
    if (this.deadline) connectDeadlines.cancel(this.deadline);
    if (!error) {
      this.backend.connectHost = host;
      this.done(undefined, this.opened);
      return;
    }
    // A server on this machine may listen on IPv4 or on IPv6 only.
    const other = this.firstError ? undefined : otherLoopback(host);
    if (other && isRefused(error)) {
      this.firstError = error;
      this.try(other);
    } else {
      this.done(this.firstError ?? error, this.opened);
    }
  }

  abort(): void {
    if (this.deadline) connectDeadlines.cancel(this.deadline);
    this.method.abort(this.opened);
  }

  private timedOut(address: Address): void {
    this.method.abort(this.opened);
    this.done(this.firstError ?? new ConnectTimeoutError(formatAddress(address), this.timeoutMs), this.opened);
  }
}
