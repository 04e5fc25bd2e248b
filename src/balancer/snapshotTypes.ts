// Public types of what a balancer tells of itself: snapshots of its frontend and backends, and their statistics.
import type { BackendSpec, BackendState, DataPathName, FaultSnapshot, Health, Mode, StrategyName } from './optionTypes';

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
