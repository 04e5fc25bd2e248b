// The seam between the engine and the code that moves bytes: what a data path provides.
//
// The engine (connector, pool, facade) decides who is served and by which backend, counts, and
// emits events; a data path accepts, connects, copies and closes, and gives HTTP mode connections
// it reads and writes itself. `sockets/` is the one on `net.Socket`, `handles/` the one on libuv's
// stream handles: nothing outside their folders knows which serves, and the tests of
// `test/balancer/` and `test/http/` hold for both.
import type { Server } from 'node:net';
import type { BackendFaults, LinkFaults } from './faults/backendFaults';
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

/** What a `Conn` tells its user. */
export interface ConnEvents {
  data(chunk: Buffer): void;
  /** The other end sent its FIN. */
  end(): void;
  /** What was written has gone out: writing may go on. */
  drain(): void;
  /** Closed, with the first error seen if it failed. */
  close(error?: Error): void;
}

/**
 * A connection HTTP mode reads and writes itself, as a data path gives it: over an accepted client,
 * or dialled to a backend. HTTP mode parses and decides; the data path moves the bytes.
 */
export interface Conn<S extends Side = Side> {
  /** The data path's own object: counted, tracked and closed by the engine as any connection. */
  readonly side: S;
  /** Closed or being closed. */
  readonly destroyed: boolean;
  /** Set by the user; events before that are not expected (a connection starts reading once it has one). */
  listen(events: ConnEvents): void;
  /** Writes (a string as latin1, HTTP's octets); false once what is written waits. */
  write(bytes: Buffer | string): boolean;
  /** Holds writes until `uncork`, to send them in one system call. */
  cork(): void;
  uncork(): void;
  /** Reads, or stops reading (the bytes then wait in the kernel: TCP's backpressure). */
  read(wanted: boolean): void;
  /** Sends our FIN once what is written has gone out. */
  end(): void;
  destroy(): void;
  /** Closes with a reset: the other end learns what it got was cut off. */
  reset(): void;
  /** `host` and `port` of the other end. */
  remote(): { host: string; port: number };
  /** Closes the connection after `ms` with no bytes either way; 0 turns it off. */
  idleTimeout(ms: number, expire: () => void): void;
  /**
   * Gives the connection back to its data path, which copies it from now on (TLS, HTTP/2): its user
   * hears nothing more, and `firstBytes`, read already, are the first to be copied.
   */
  handOver(firstBytes: Buffer): void;
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
   * called when the attempt is aborted first (its client left, or its time ran out: the dialer
   * keeps the time).
   */
  connect(address: Address, client: S, done: (error?: Error) => void): S;
  /**
   * Copies bytes both ways between a client and its connected backend until both directions are
   * done: with backpressure (a side that does not read stops the other from being read), each
   * direction's end passed on by itself (half-close), and a side that closes without finishing
   * aborting the other. `replied` runs once the backend's first bytes are written to the client,
   * after the faults on their way, if any: the time to the first byte is the client's. `closed`
   * runs once, after both sides closed.
   *
   * `options.faults`, when the connection got any, are the stages its bytes pass between the two sides.
   * `backendFaults`: the backend's, so that a fault added while the connection is open reaches it.
   */
  copy(client: S, backendSide: S, options: CopyOptions, replied: () => void, closed: Closed, backendFaults?: BackendFaults): void;
  /** Closes a client that will not be served: its input is discarded, it gets a FIN, and it is closed after `lingerMs`. */
  refuse(client: S, lingerMs: number): void;
  /** Closes with a reset, so that the other end learns the stream was cut off. */
  abort(side: S): void;
  /** HTTP mode: the connection a session reads and writes, over an accepted client. */
  conn(client: S): Conn<S>;
  /**
   * HTTP mode: a connection to a backend that HTTP mode reads and writes itself. `done` as for
   * `connect`; its side is counted and closed by the engine as any other.
   */
  dial(address: Address, client: S, done: (error?: Error) => void): Conn<S>;
}
