// Public types of the traffic record: per-second series per backend and the recent connections or
// requests, as the engine gives them (mergeable across processes) and as a panel draws them.
import type { Mode, Outcome, RequestDetails } from '../types';

/** Seconds of history kept: 5 minutes at 1 s resolution. */
export const HISTORY_SECONDS = 300;
/** Recent connections or requests kept while someone watches. */
export const RECENT_ENTRIES = 500;

/** A backend's state in a second of the health band; `faulty`: up (or not checked yet) with a fault on. */
export const BAND_STATES = ['unknown', 'up', 'down', 'draining', 'disabled', 'faulty'] as const;
export type BandState = (typeof BAND_STATES)[number];

/** One connection (TCP mode) or request (HTTP mode), once it ended. */
export interface TrafficEntry {
  /** Numbers entries in the order they ended: a reader asks for those after the last it has. */
  seq: number;
  /** When it began, epoch ms. */
  at: number;
  /** `address:port`. */
  client: string;
  /** The backend's id; absent when none took it. */
  backend?: string;
  /** HTTP mode. */
  method?: string;
  path?: string;
  /** HTTP mode: the status the client got; absent when it got none. */
  status?: number;
  durationMs: number;
  /** Bytes from the client, and to it. */
  bytesIn: number;
  bytesOut: number;
  outcome: Outcome;
  /** In a view of several pools: the entry's pool (and `backend` is `pool/id`). */
  pool?: string;
  /** HTTP mode: what the request and its answer carried and where its time went (the inspector's). */
  details?: RequestDetails;
  /** A request sent again from the inspector (Replay). */
  replay?: boolean;
}

/** Where a reader of the record is: the last whole second and the last entry it has. */
export interface TrafficCursor {
  second: number;
  seq: number;
}

/** A time per second, as recorded: sums that add up across processes. */
export interface SecondTimes {
  /** Per second, the histogram's non-empty buckets as `[bucket, count, …]` (buckets of `LATENCY_BUCKETS_MS`). */
  latency: number[][];
  /** Per second, the fastest and slowest time; null in a second with none. */
  fastest: Array<number | null>;
  slowest: Array<number | null>;
}

/**
 * One backend's seconds, `from` to `to`, as recorded. Its times (`SecondTimes`) are, in HTTP mode,
 * to the answer's head; in TCP mode, to the backend's first byte reaching the client.
 */
export interface BackendRecord extends SecondTimes {
  id: string;
  label: string;
  /** Requests (HTTP mode) or new connections (TCP mode) sent to it, per second. */
  counts: number[];
  /** Of those, the ones that failed: 5xx, cut or timed out. */
  failures: number[];
  /** Index in `BAND_STATES` plus one; 0 where the backend did not exist. */
  states: number[];
  /** TCP mode: the times to connect. */
  connect?: SecondTimes;
  /** Why it is down (its last error: a failed check, a refused connection, a launched copy's exit), while it is. */
  down?: string;
}

/** What changed in the record since a cursor: whole seconds and ended entries. */
export interface TrafficRecord {
  mode: Mode;
  /** Epoch seconds; `from > to` when no second is new. */
  from: number;
  to: number;
  backends: BackendRecord[];
  /** Oldest first. */
  entries: TrafficEntry[];
  /** Where the reader is after this record. */
  cursor: TrafficCursor;
}

/** A time's p50 and p99 per second, in ms; null in a second with none. */
export interface PercentileSeries {
  p50: Array<number | null>;
  p99: Array<number | null>;
}

/** A backend's seconds as a panel draws them; its percentiles are of the times its record has. */
export interface BackendSeries extends PercentileSeries {
  id: string;
  label: string;
  counts: number[];
  failures: number[];
  states: Array<BandState | null>;
  /** TCP mode: the times to connect. */
  connect?: PercentileSeries;
  /** Why it is down, while it is. */
  down?: string;
}

/** A record with percentiles worked out: what the panel is sent. */
export interface TrafficUpdate {
  mode: Mode;
  from: number;
  to: number;
  backends: BackendSeries[];
  entries: TrafficEntry[];
  cursor: TrafficCursor;
}
