// What an HTTP session needs from the rest of the engine (the choice of backend, connections to
// backends, counters, deadlines, the log), which `HttpFrontend` provides; and what a request's
// exchange with a backend needs of its session.
import type { Backend } from '../backend';
import type { TrafficRecorder } from '../traffic/trafficRecorder';
import type { Deadlines } from '../deadlines';
import type { LiveSettings } from '../liveSettings';
import type { RequestInfo } from '../types';
import type { Conn } from '../dataPath';
import type { RequestStats } from '../statistics/requestStats';
import type { KeepAlivePool, BackendConnection } from './backendConnection';

export interface SessionContext {
  readonly stats: RequestStats;
  /** The traffic panel's record: what each backend was sent, per second. */
  readonly traffic: TrafficRecorder;
  readonly keepAlive: KeepAlivePool;
  /** Request heads due, all of the request timeout's length (so one list keeps them in order). */
  readonly headDeadlines: Deadlines;
  readonly answerDeadlines: Deadlines;
  /** When clients told that their connection ends are closed if they keep it open. */
  readonly lingerDeadlines: Deadlines;
  /** Timeouts and stickiness, read at each request. */
  readonly settings: Readonly<Pick<LiveSettings, 'requestTimeoutMs' | 'idleTimeoutMs' | 'responseTimeoutMs' | 'sticky' | 'stickyCookie'>>;
  /** The balancer stops: answers end their connections. */
  readonly draining: boolean;
  /** The backend for a request: the one its sticky cookie names while it takes traffic, else the strategy's. */
  pick(tried: ReadonlySet<Backend> | undefined, stickyId: string | undefined, source: string): Backend | undefined;
  /** Why no backend takes traffic, for a 502. */
  whyNone(): string;
  /** A new connection to `backend` for `client`'s request, or why it could not be opened. */
  open(backend: Backend, client: Conn, done: (error: Error | undefined, connection?: BackendConnection) => void): void;
  /** Passive health: a backend that could not be connected to. */
  connectFailed(backend: Backend, error: Error): void;
  /** Hands a connection that is not HTTP/1.x (TLS, HTTP/2) to TCP mode, with the bytes read from it. */
  passThrough(client: Conn, firstBytes: Buffer, protocol: string): void;
  /** A warning of `kind`, at most one per kind and interval. */
  warn(kind: string, message: string): void;
  /** `backend` answered `status` after `ms`: counted for it, the frontend and the traffic panel. */
  countAnswer(backend: Backend, status: number, ms: number): void;
  /** A request fault answered for `backend` (or cut the connection, with no status). */
  countFault(backend: Backend, status?: number): void;
  /** `backend` failed a request with a 502 or 504 (`why`): its last error, the panel's failures, a warning. */
  countFailure(backend: Backend, status: 502 | 504, why: string): void;
  /** A request ended: views refresh. */
  requestsChanged(): void;
  /** Someone listens to each request's end: `requestEnded` is worth its cost. */
  readonly requestsListened: boolean;
  requestEnded(info: RequestInfo): void;
  /** The session's connection closed. */
  sessionClosed(session: object): void;
}

/** What an exchange needs of the client's side (the session). */
export interface ExchangeClient {
  readonly clientEnded: boolean;
  readonly closed: boolean;
  /** Bytes kept from the client: the body's start, and perhaps pipelined requests after it. */
  takeInput(): Buffer | undefined;
  /** Bytes after the request: the next requests, pipelined. */
  keepInput(bytes: Buffer): void;
  /** Writes to the client; a client that lags behind gets the backend paused. */
  forward(bytes: Buffer | string): void;
  /** Holds what is forwarded until `release`, to go out in one system call (an answer's head and body). */
  hold(): void;
  release(): void;
  /** Whether the client should be read changed. */
  readingChanged(): void;
  /** The answer ended: the next request, if the connection stays open. */
  exchangeEnded(keepAlive: boolean): void;
  /** The balancer answers for the backend (a 502, a 504, a fault's status). */
  answerFor(status: number, reason: string, keepAlive: boolean): void;
  /** The answer is cut short: the client is reset. */
  cut(): void;
  /** A 101 passed: from now on bytes are copied both ways. */
  tunnelOpened(): void;
  /** The backend ended the tunnel: so does the client's side. */
  endTunnel(): void;
}
