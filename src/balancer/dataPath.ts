// The seam between the engine and the code that moves bytes: what a data path provides.
//
// The engine (connector, pool, facade) decides who is served and by which backend, counts, and
// emits events; a data path accepts, connects, copies and closes. `socketPath` is the one on
// `net.Socket`; another (on libuv's stream handles) implements the same interface, and the tests of
// `test/balancer/` hold for any of them.
import type { Server } from 'node:net';
import type { LinkFaults } from './faults/backendFaults';
import type { Address, DataPathName } from './types';

/** One end of a proxied connection, the client's or the backend's. Counts are live. */
export interface Side {
  /** Bytes received from this end so far. */
  readonly bytesRead: number;
  /** Bytes sent to this end so far. */
  readonly bytesWritten: number;
}

/** A listening frontend. */
export interface Listener {
  readonly address: Address;
  /** What another process needs to accept on the same port (`--workers`). */
  readonly server: Server;
  /** Stops accepting; resolves once the listening socket is closed. */
  close(): Promise<void>;
}

/** How a connection's bytes are copied, fixed when its backend is connected. */
export interface CopyOptions {
  /** Closes the connection after this long with no bytes either way; 0: never. */
  idleTimeoutMs: number;
  /** The faults this connection got; absent for most, which then take the plain path. */
  faults?: LinkFaults;
}

/** Why a connection ended: the first error seen, and the backend's own, which is the backend's fault. */
export type Closed = (error?: Error, backendError?: Error) => void;

export interface DataPath<S extends Side> {
  /** Named in the log and in `/stats`. */
  readonly name: DataPathName;
  /**
   * Listens on `at` (or takes over `shared`, a server another process listens with) and hands each
   * client to `onClient`. Rejects, with nothing listening, when the address cannot be bound. Errors
   * after that (running out of descriptors) go to `onError`; accepting goes on.
   */
  listen(at: Address, shared: Server | undefined, onClient: (client: S) => void, onError: (error: Error) => void): Promise<Listener>;
  /** `host:port` of a client, for events and the log: only asked for when someone listens. */
  describe(client: S): string;
  /** Calls `listener` once, when `side` is closed: both directions done, aborted or refused. */
  onClose(side: S, listener: () => void): void;
  offClose(side: S, listener: () => void): void;
  /** Whether `side` is closed or being closed. */
  isClosed(side: S): boolean;
  /**
   * Connects to a backend on behalf of `client`. `done` is called at most once: with no argument
   * once connected, or with the reason it could not be (the backend side is closed then). It is not
   * called when the attempt is aborted first (its client left).
   */
  connect(address: Address, timeoutMs: number, client: S, done: (error?: Error) => void): S;
  /**
   * Copies bytes both ways between a client and its connected backend until both directions are
   * done: with backpressure (a side that does not read stops the other from being read), each
   * direction's end passed on by itself (half-close), and a side that closes without finishing
   * aborting the other. `replied` runs once the backend's first bytes are written to the client,
   * after the faults on their way, if any: the time to the first byte is the client's. `closed`
   * runs once, after both sides closed.
   *
   * This is where a stage between the two sides goes in (faults, recording): a path that copies
   * through one is chosen per connection, before `connect`, by `Connector.pathFor`.
   */
  copy(client: S, upstream: S, options: CopyOptions, replied: () => void, closed: Closed): void;
  /** Closes a client that will not be served: its input is discarded, it gets a FIN, and it is closed after `lingerMs`. */
  refuse(client: S, lingerMs: number): void;
  /** Closes with a reset, so that the other end learns the stream was cut off. */
  abort(side: S): void;
}
