// Public types of the balancer engine: options, snapshots and events.

export const STRATEGIES = ['round-robin', 'least-connections', 'random', 'source-hash'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/**
 * What copies a connection's bytes: libuv's stream handles (`handles`, the fast one) or
 * `net.Socket` (`sockets`). `auto` takes the handles when their self-test passes at start.
 */
export const DATA_PATHS = ['auto', 'handles', 'sockets'] as const;
export type DataPathChoice = (typeof DATA_PATHS)[number];
export type DataPathName = Exclude<DataPathChoice, 'auto'>;

/**
 * What is balanced: connections, their bytes copied as they are (`tcp`), or HTTP/1.x requests,
 * each sent to a backend of its own over kept-alive connections (`http`).
 */
export const MODES = ['tcp', 'http'] as const;
export type Mode = (typeof MODES)[number];

/** Result of health checks. `unknown` until the first check: traffic is allowed. */
export type Health = 'unknown' | 'up' | 'down';

/** What a user sees: health, or the administrative state when the backend is disabled. */
export type BackendState = Health | 'disabled' | 'draining';

/** A host and port: where the frontend listens, or where a backend is. */
export interface Address {
  host: string;
  port: number;
}

export interface BackendSpec extends Address {
  /** Optional display name; the id stays `host:port`. */
  name?: string;
  /** Its share of traffic against the others', 1–256; 1 when absent. */
  weight?: number;
}

export interface HealthCheckOptions {
  type: 'tcp' | 'http';
  /** Path for `http` checks; a 2xx or 3xx answer counts as healthy. */
  path: string;
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive successes that bring a down backend up. */
  rise: number;
  /** Consecutive failures that bring an up backend down. */
  fall: number;
}

export interface BalancerOptions {
  /** Listening address; defaults to 127.0.0.1 so nothing is exposed by accident. */
  host?: string;
  /** 0 picks a free port; `address()` tells which. */
  port: number;
  backends: readonly BackendSpec[];
  strategy?: StrategyName;
  connectTimeoutMs?: number;
  /** Closes connections with no traffic in either direction for this long; 0 disables. */
  idleTimeoutMs?: number;
  /** Clients served at once; more are closed at once (counted as rejected). 0: no limit. */
  maxConnections?: number;
  /** Active health checks; `false` turns them (and passive marking) off. */
  health?: Partial<HealthCheckOptions> | false;
  /** Which data path serves; `auto` by default. Applies at the next start. */
  dataPath?: DataPathChoice;
  /** `tcp` by default. Applies at the next start. */
  mode?: Mode;
  /** HTTP mode: a request head not complete this long after it began (or after the last answer) is answered 408. */
  requestTimeoutMs?: number;
  /** HTTP mode: a backend that has not begun its answer this long after the request was sent is answered for with 504. */
  responseTimeoutMs?: number;
  /** HTTP mode: a cookie keeps each client on the backend that answered it first. */
  sticky?: boolean;
  /** Faults to start with, per backend (id, port or name); applied when the balancer is made. */
  faults?: ReadonlyArray<{ backend: string; fault: FaultSpec }>;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** A histogram as `/stats` gives it: counts per bucket of `LATENCY_BUCKETS_MS` (and one above the last), their sum, the fastest and slowest. */
export interface LatencyHistogram {
  counts: number[];
  sumMs: number;
  fastestMs?: number;
  slowestMs?: number;
}

export interface CheckResult {
  ok: boolean;
  /** Epoch milliseconds. */
  at: number;
  latencyMs: number;
  error?: string;
}

export interface BackendSnapshot extends BackendSpec {
  id: string;
  state: BackendState;
  health: Health;
  enabled: boolean;
  activeConnections: number;
  totalConnections: number;
  /** This backend's share of all connections handed to backends, 0–100. */
  sharePercent: number;
  /** Bytes forwarded from clients to this backend. */
  bytesSent: number;
  /** Bytes received from this backend and forwarded to clients. */
  bytesReceived: number;
  connectFailures: number;
  lastCheck?: CheckResult;
  lastError?: string;
  /** Faults on, in the order they were added; absent when none. */
  faults?: FaultSnapshot[];
  /** Requests this backend was sent, in HTTP mode. `sharePercent` is then its share of requests. */
  requests?: RequestStatsSnapshot;
  /** TCP mode: time to connect, in ms; absent before the first connection. */
  connectMs?: Percentiles;
  /** TCP mode: time from connecting to the backend's first byte, in ms; absent before the first. */
  firstByteMs?: Percentiles;
  /** TCP mode: the histograms behind them, for `/metrics` and to add up the processes of `--workers`. */
  connectHistogram?: LatencyHistogram;
  firstByteHistogram?: LatencyHistogram;
}

/** Requests and their answers, counted in HTTP mode. */
export interface RequestStatsSnapshot {
  total: number;
  /** Requests whose answer has not ended yet. */
  active: number;
  answers: Record<'1xx' | '2xx' | '3xx' | '4xx' | '5xx', number>;
  /** Time from the request sent to the answer's head, in ms; absent before the first answer. */
  responseMs?: { p50: number; p95: number; p99: number };
  /** The histogram behind `responseMs`, for `/metrics` and to add up processes. */
  histogram: LatencyHistogram;
}

export interface FrontendSnapshot {
  host: string;
  port: number;
  listening: boolean;
  strategy: StrategyName;
  mode: Mode;
  /** HTTP mode: sticky sessions are on. */
  sticky: boolean;
  /** The data path serving, while listening. */
  dataPath?: DataPathName;
  activeConnections: number;
  totalConnections: number;
  /** Clients closed without being served, for any reason: the sum of `rejectedBy`. */
  rejectedConnections: number;
  rejectedBy: Record<RejectReason, number>;
  bytesIn: number;
  bytesOut: number;
  /** Requests received, in HTTP mode, with the answers the clients got (the balancer's own among them). */
  requests?: RequestStatsSnapshot;
}

/**
 * Why a client was closed without being served: no backend could take it, `maxConnections` were
 * open, or the process was nearly out of file descriptors.
 */
export const REJECT_REASONS = ['noBackend', 'limit', 'descriptors'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface BalancerSnapshot {
  frontend: FrontendSnapshot;
  backends: BackendSnapshot[];
}

/** How a connection (TCP mode) or request (HTTP mode) ended, in the traffic panel's table. */
export const OUTCOMES = ['answered', 'failed over', 'refused', 'reset', 'timed out', 'fault'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ConnectionInfo {
  id: number;
  /** `address:port` of the client. */
  client: string;
  /** Id (`host:port`) of the backend serving it. */
  backend: string;
}

export interface ConnectionClosedInfo extends ConnectionInfo {
  bytesSent: number;
  bytesReceived: number;
  durationMs: number;
  error?: string;
  outcome: Outcome;
}

/** A client closed without being served (TCP mode, or HTTP mode's connections before any request). */
export interface RefusedInfo {
  client: string;
  reason: string;
}

/** One request of HTTP mode, once it ended. */
export interface RequestInfo {
  /** `address:port` of the client. */
  client: string;
  /** Id of the backend that took it; absent when none did. */
  backend?: string;
  /** Empty when the balancer refused a head it could not read (400, 431, 505, 408). */
  method: string;
  target: string;
  /** The status the client got (the backend's, or the balancer's own); absent when it was cut off. */
  status?: number;
  /** From the request's head read to the end of its answer. */
  durationMs: number;
  /** Bytes from the client during the request, and to it during its answer. */
  bytesIn: number;
  bytesOut: number;
  outcome: Outcome;
}

export interface HealthChange {
  backend: string;
  from: BackendState;
  to: BackendState;
  reason: string;
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Events of `LoadBalancer`; the argument lists are what listeners receive. */
export interface BalancerEvents {
  listening: [address: Address];
  stopped: [];
  /**
   * Connection events cost work per connection, so they are made only for connections opened
   * while someone listens to either of them; statistics count every connection regardless.
   */
  connectionOpened: [info: ConnectionInfo];
  connectionClosed: [info: ConnectionClosedInfo];
  /** HTTP mode: a request ended. Made only while someone listens, like the connection events. */
  request: [info: RequestInfo];
  /** A client was closed without being served. Made only while someone listens. */
  refused: [info: RefusedInfo];
  /** A connection was opened or closed: the cheap event for views that only need to refresh. */
  connectionsChanged: [];
  stateChanged: [change: HealthChange];
  /** Backends were added, removed, enabled or disabled, or the strategy or checks changed. */
  configChanged: [];
  statisticsReset: [];
  /** Human-readable lines the CLI prints and the extension logs; noisy ones are rate-limited. */
  log: [entry: LogEntry];
}

/** Faults on a connection's bytes, in either mode. */
export const CONNECTION_FAULT_TYPES = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'] as const;
/** Faults on requests, in HTTP mode: drawn per request, and the backend is not contacted. */
export const REQUEST_FAULT_TYPES = ['http_status', 'http_abort'] as const;
export const FAULT_TYPES = [...CONNECTION_FAULT_TYPES, ...REQUEST_FAULT_TYPES] as const;
export type FaultType = (typeof FAULT_TYPES)[number];
export type RequestFaultType = (typeof REQUEST_FAULT_TYPES)[number];

/** `downstream`: backend → client (the default); `upstream`: client → backend. */
export const FAULT_STREAMS = ['downstream', 'upstream'] as const;
export type FaultStream = (typeof FAULT_STREAMS)[number];

/** The unit of an attribute, toxiproxy's: a bare number is in it. */
export type FaultUnit = 'ms' | 'µs' | 'KB/s' | 'bytes' | 'status';

/** A fault as asked for (the admin API's body, a parsed `--fault`): anything may be missing or wrong. */
export interface FaultSpec {
  name?: unknown;
  type?: unknown;
  stream?: unknown;
  toxicity?: unknown;
  attributes?: unknown;
}

/** A checked fault, every attribute filled in. */
export interface Fault {
  name: string;
  type: FaultType;
  stream: FaultStream;
  /** The chance, drawn once per connection (per request for request faults), that the fault applies to it: 0 to 1. */
  toxicity: number;
  attributes: Record<string, number>;
}

/** A fault as a snapshot shows it. */
export interface FaultSnapshot extends Fault {
  /** It does nothing in the mode serving: a request fault while connections are balanced (TCP mode). */
  dormant?: true;
}
