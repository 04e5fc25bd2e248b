// Who is served and by which backend: admission limits, the choice of backend, connecting with
// failover, and each connection's counters and events.
import { performance } from 'node:perf_hooks';
import type { Backend } from './backend';
import type { Backends } from './backends';
import type { Conn, DataPath, Side } from './dataPath';
import { openFileLimit } from './descriptorLimit';
import { dial, type DialMethod } from './dialer';
import { IdleTimeoutError } from './errors';
import { emitLog, type Events } from './log';
import { ThrottledWarnings } from './logThrottle';
import { OpenSides } from './openSides';
import type { LiveSettings } from './liveSettings';
import { isOutOfDescriptors, outOfDescriptorsMessage } from './socketErrors';
import type { Strategy } from './strategies';
import type { TrafficRecorder } from './traffic/trafficRecorder';
import type { DataPathName, FrontendSnapshot, Outcome, RejectReason } from './types';

/** How often each kind of repeating warning ("no backend available", …) may be logged. */
export const WARNING_INTERVAL_MS = 5000;
/**
 * Descriptors kept free for everything but proxied sockets: stdio, the listening socket, libuv's
 * own, health checks, the admin endpoint.
 */
const RESERVED_DESCRIPTORS = 32;
/** How long a refused client may keep its half of the connection open before it is closed. */
const REJECTED_CLIENT_LINGER_MS = 1000;

type Counters = Pick<FrontendSnapshot, 'activeConnections' | 'totalConnections' | 'rejectedConnections' | 'rejectedBy' | 'bytesIn' | 'bytesOut'>;

export class Connector<S extends Side> {
  /** The data path serving, and every client and backend side on it, so that stop can wait for or close them all: set by `use`, at each start, before anything is accepted. */
  private path!: DataPath<S>;
  open!: OpenSides<S>;
  readonly warnings = new ThrottledWarnings(WARNING_INTERVAL_MS, (message) => emitLog(this.events, 'warn', message));
  /**
   * Out of descriptors, libuv accepts and resets new connections without telling us; staying
   * below the limit lets us refuse them cleanly and say so instead.
   */
  private readonly descriptorLimit = openFileLimit();
  private nextConnectionId = 1;
  private active = 0;
  private total = 0;
  private rejectedBy: Record<RejectReason, number> = { noBackend: 0, limit: 0, descriptors: 0 };
  private bytesIn = 0;
  private bytesOut = 0;

  constructor(
    private readonly events: Events,
    private readonly backends: Backends,
    /** Read at each connection: limits and timeouts apply to the next one. */
    private readonly settings: LiveSettings,
    public strategy: Strategy,
    private readonly traffic: TrafficRecorder,
  ) {}

  /**
   * What serves an admitted client: connecting it to a backend (TCP mode), or reading its requests
   * (HTTP mode). Set with the data path.
   */
  private serve = (client: S): void => this.balance(client);

  /** The data path that serves from now on, and what serves clients; changed only while nothing is open (at start). */
  use(path: DataPath<S>, serve?: (client: S) => void): void {
    this.path = path;
    this.open = new OpenSides(path);
    this.serve = serve ?? ((client) => this.balance(client));
  }

  get pathName(): DataPathName {
    return this.path.name;
  }

  get activeConnections(): number {
    return this.active;
  }

  accept(client: S): void {
    this.total++;
    const limit = this.settings.maxConnections;
    if (limit > 0 && this.active >= limit) {
      this.open.track(client);
      this.reject(client, 'limit', `${limit} connections are open, the most allowed`);
      return;
    }
    const descriptors = this.descriptorLimit;
    if (descriptors !== undefined && this.open.size + RESERVED_DESCRIPTORS + this.backends.list.length >= descriptors) {
      this.open.track(client);
      this.reject(client, 'descriptors', `nearly out of file descriptors (ulimit -n ${descriptors}); raise the limit for more connections`);
      return;
    }
    this.active++;
    this.open.add(client);
    this.path.onClose(client, () => {
      this.active--;
      this.bytesIn += client.bytesRead;
      this.bytesOut += client.bytesWritten;
      this.open.delete(client);
    });
    this.serve(client);
  }

  /** HTTP mode: the connection a session reads and writes, over an accepted client, on the data path serving. */
  conn(client: S): Conn<S> {
    return this.path.conn(client);
  }

  /**
   * HTTP mode: a connection to `backend` for `client`'s request, on the data path serving, dialled
   * as every connection to a backend is; tracked, so that a stop closes it.
   */
  dialConn(backend: Backend, client: S, done: (error: Error | undefined, conn: Conn<S>) => void): void {
    dial(backend, this.settings.connectTimeoutMs, this.httpDial, client, done);
  }

  counters(): Counters {
    const { noBackend, limit, descriptors } = this.rejectedBy;
    return {
      activeConnections: this.active,
      totalConnections: this.total,
      rejectedConnections: noBackend + limit + descriptors,
      rejectedBy: { ...this.rejectedBy },
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
    };
  }

  /** Every counter back to zero; open connections stay counted as open. */
  resetCounters(): void {
    this.total = this.active;
    this.rejectedBy = { noBackend: 0, limit: 0, descriptors: 0 };
    this.bytesIn = 0;
    this.bytesOut = 0;
  }

  /**
   * The one place a backend is chosen: among those that take traffic and were not tried for this
   * client yet, by the strategy. Per connection in TCP mode; per request in HTTP mode.
   */
  pick(tried: ReadonlySet<Backend> | undefined, source?: string): Backend | undefined {
    return this.strategy.pick(this.backends.list, tried ? (candidate) => candidate.available && !tried.has(candidate) : isAvailable, source);
  }

  /**
   * Connects a client to a backend and copies its bytes both ways: TCP mode, or what HTTP mode
   * cannot read. Tries backends in strategy order until one accepts the connection; each is tried
   * once. `tried` exists only once an attempt failed, which is rare: most connections allocate
   * nothing here.
   */
  balance(client: S, tried?: Set<Backend>): void {
    if (this.path.isClosed(client)) return;
    const backend = this.pick(tried, this.strategy.bySource ? hostOf(this.path.describe(client)) : undefined);
    if (!backend) {
      this.reject(client, 'noBackend', tried ? `all ${tried.size} backend(s) tried failed to connect` : this.backends.whyNone());
      return;
    }
    this.connectTo(backend, client, tried);
  }

  /** Connects `client` to `backend` (the dialer tries its other loopback address when one refuses); the next backend when it cannot. */
  private connectTo(backend: Backend, client: S, tried: Set<Backend> | undefined): void {
    const path = this.path;
    const startedAt = performance.now();
    // A client that leaves while we connect takes the attempt with it.
    const abandon = (): void => dialling.abort();
    const dialling = dial(backend, this.settings.connectTimeoutMs, this.tcpDial, client, (error, backendSide) => {
      path.offClose(client, abandon);
      if (!error) {
        this.connected(path, client, backend, backendSide, startedAt, tried !== undefined);
      } else if (isOutOfDescriptors(error)) {
        // Our own limit, not the backend's fault, and every other backend would fail the same way.
        this.reject(client, 'descriptors', outOfDescriptorsMessage(error));
      } else {
        this.backends.connectFailed(backend, error);
        this.balance(client, (tried ?? new Set()).add(backend));
      }
    });
    path.onClose(client, abandon);
  }

  /** How TCP mode tries one address: a side of the data path serving, tracked so that a stop closes it. */
  private readonly tcpDial: DialMethod<S, S> = {
    open: (address, client, done) => {
      const backendSide = this.path.connect(address, client, done);
      this.open.track(backendSide);
      return backendSide;
    },
    abort: (backendSide) => this.path.abort(backendSide),
  };

  /** How HTTP mode tries one address: a connection it reads and writes itself, tracked likewise. */
  private readonly httpDial: DialMethod<Conn<S>, S> = {
    open: (address, client, done) => {
      const conn = this.path.dial(address, client, done);
      this.open.track(conn.side);
      return conn;
    },
    abort: (conn) => conn.destroy(),
  };

  /** `startedAt`: when connecting began (`performance.now()`), which the times to connect and to the first byte count from. */
  private connected(path: DataPath<S>, client: S, backend: Backend, backendSide: S, startedAt: number, failedOver: boolean): void {
    const id = this.nextConnectionId++;
    const connectMs = performance.now() - startedAt;
    backend.stats.opened(backendSide, connectMs);
    const traffic = this.traffic;
    traffic.sent(backend);
    traffic.connected(backend, connectMs);
    // Connection events cost an address lookup and objects per connection: only made when listened to.
    const events = this.events;
    const listened = events.listenerCount('connectionOpened') + events.listenerCount('connectionClosed') > 0;
    const info = listened ? { id, client: path.describe(client), backend: backend.id } : undefined;
    if (info) events.emit('connectionOpened', info);
    events.emit('connectionsChanged');
    // Most connections get no fault, and the settings as they are: nothing is made per connection.
    const faults = backend.faults.forConnection();
    const options = faults ? { idleTimeoutMs: this.settings.idleTimeoutMs, faults } : this.settings;
    const replied = (): void => {
      const firstByteMs = performance.now() - startedAt;
      backend.stats.firstByte(firstByteMs);
      traffic.timed(backend, firstByteMs);
    };
    path.copy(client, backendSide, options, replied, (error, backendError) => {
      // Only what the backend's own side reports is the backend's error; a client's is not.
      if (backendError) {
        backend.lastError = backendError.message;
        traffic.failed(backend);
      }
      this.backends.connectionClosed(backend, backendSide);
      if (info) {
        events.emit('connectionClosed', {
          ...info,
          bytesSent: backendSide.bytesWritten,
          bytesReceived: backendSide.bytesRead,
          durationMs: performance.now() - startedAt,
          ...(error ? { error: error.message } : {}),
          outcome: connectionOutcome(error, faults !== undefined, failedOver),
        });
      }
      events.emit('connectionsChanged');
    }, backend.faults);
  }

  /**
   * Closes a client that cannot be served: its pending input is discarded and it gets a FIN. One
   * warning line per interval and reason says why.
   */
  private reject(client: S, reason: RejectReason, why: string): void {
    this.rejectedBy[reason]++;
    if (this.events.listenerCount('refused') > 0) this.events.emit('refused', { client: this.path.describe(client), reason: why });
    this.warnings.warn(reason, () => {
      const from = this.path.describe(client);
      return reason === 'noBackend' ? `No backend available for ${from}: ${why}` : `Refused ${from}: ${why}`;
    });
    this.path.refuse(client, REJECTED_CLIENT_LINGER_MS);
  }
}

const isAvailable = (backend: Backend): boolean => backend.available;

/** The address of `address:port`, `[v6]:port` too. */
const hostOf = (described: string): string => described.slice(0, described.lastIndexOf(':'));

/** What a closed connection's row in the traffic panel says. */
function connectionOutcome(error: Error | undefined, faulty: boolean, failedOver: boolean): Outcome {
  if (faulty) return 'fault';
  if (error) return error instanceof IdleTimeoutError ? 'timed out' : 'reset';
  return failedOver ? 'failed over' : 'answered';
}
