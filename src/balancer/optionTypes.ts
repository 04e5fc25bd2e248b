// Public types of the engine's configuration: options, strategies, modes, data paths and faults.

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
  /**
   * The sticky cookie's name (`local-lb` unless told): a pool other than `default` has its own
   * (`local-lb-NAME`), since a browser sends a host's cookies to every port of it.
   */
  stickyCookie?: string;
  /** Faults to start with, per backend (id, port or name); applied when the balancer is made. */
  faults?: ReadonlyArray<{ backend: string; fault: FaultSpec }>;
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
