// What the traffic panel holds: the last 5 minutes of each backend's seconds, the recent entries,
// and the table's filters; updates merged in as they come. No DOM here: the views draw from it.
import {
  HISTORY_SECONDS,
  RECENT_ENTRIES,
  type BandState,
  type BackendSeries,
  type PercentileSeries,
  type TrafficCursor,
  type TrafficEntry,
  type TrafficUpdate,
} from '../../balancer/traffic/trafficTypes';
import type { Mode, Outcome } from '../../balancer/types';

/** One backend's line in the charts, aligned with `TrafficModel.seconds`. */
export interface BackendLine {
  id: string;
  label: string;
  counts: Array<number | null>;
  failures: Array<number | null>;
  p50: Array<number | null>;
  p99: Array<number | null>;
  /** TCP mode: the times to connect; nulls in HTTP mode. */
  connect: PercentileSeries;
  states: Array<BandState | null>;
  /** Why it is down, while it is. */
  down?: string;
}

/** What the user chose in the table, kept across reloads of the panel. */
export interface TableState {
  /** With every pool shown: the pool of the rows shown ('' for all). */
  pool: string;
  backend: string;
  outcome: Outcome | '';
  paused: boolean;
  /** Entries up to this seq were cleared. */
  clearedSeq: number;
  /** While paused: the newest entry shown. */
  pausedSeq: number;
}

export const INITIAL_TABLE: TableState = { pool: '', backend: '', outcome: '', paused: false, clearedSeq: 0, pausedSeq: 0 };

export class TrafficModel {
  mode: Mode = 'tcp';
  /** The pools shown side by side (their backends named `pool/id`); empty while one pool is shown. */
  pools: string[] = [];
  /** Epoch seconds, oldest first, at most `HISTORY_SECONDS`. */
  seconds: number[] = [];
  readonly lines = new Map<string, BackendLine>();
  /** Oldest first, at most `RECENT_ENTRIES`. */
  entries: TrafficEntry[] = [];
  cursor?: TrafficCursor;

  /** Merges an update; `full` replaces everything held (the first update, or after a restart of the record). */
  apply(update: TrafficUpdate, full: boolean): void {
    if (full) {
      this.seconds = [];
      this.lines.clear();
      this.entries = [];
    }
    this.mode = update.mode;
    const added = Math.max(0, update.to - update.from + 1);
    const known = new Set<string>();
    for (const series of update.backends) {
      known.add(series.id);
      const line = this.lineOf(series);
      line.label = series.label;
      line.down = series.down;
    }
    for (const line of this.lines.values()) {
      const series = update.backends.find((candidate) => candidate.id === line.id);
      for (let i = 0; i < added; i++) pushSecond(line, series, i);
    }
    for (let s = update.from; s <= update.to; s++) this.seconds.push(s);
    this.dropFirst(this.seconds.length - HISTORY_SECONDS);
    // Seconds before any backend existed (before the balancer was made) are not drawn.
    const first = this.seconds.findIndex((_, i) => [...this.lines.values()].some((line) => line.states[i] !== null));
    this.dropFirst(first < 0 ? this.seconds.length : first);
    // A backend that has been gone for the whole window leaves the charts.
    for (const [id, line] of this.lines) if (!known.has(id) && line.states.every((state) => state === null)) this.lines.delete(id);
    this.entries.push(...update.entries);
    if (this.entries.length > RECENT_ENTRIES) this.entries.splice(0, this.entries.length - RECENT_ENTRIES);
    this.cursor = update.cursor;
  }

  /** Requests or connections per second over all backends. */
  totals(): Array<number | null> {
    return this.seconds.map((_, i) => {
      let sum = 0;
      for (const line of this.lines.values()) sum += line.counts[i] ?? 0;
      return sum;
    });
  }

  /** The rows the table shows, newest first. */
  rows(table: TableState): TrafficEntry[] {
    const rows: TrafficEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (entry.seq <= table.clearedSeq) break;
      if (table.paused && entry.seq > table.pausedSeq) continue;
      if (table.pool && entry.pool !== undefined && entry.pool !== table.pool) continue;
      if (table.backend && entry.backend !== table.backend) continue;
      if (table.outcome && entry.outcome !== table.outcome) continue;
      rows.push(entry);
    }
    return rows;
  }

  get lastSeq(): number {
    return this.entries.at(-1)?.seq ?? 0;
  }

  private dropFirst(count: number): void {
    if (count <= 0) return;
    this.seconds.splice(0, count);
    for (const line of this.lines.values()) {
      for (const key of ['counts', 'failures', 'p50', 'p99', 'states'] as const) line[key].splice(0, count);
      line.connect.p50.splice(0, count);
      line.connect.p99.splice(0, count);
    }
  }

  private lineOf(series: BackendSeries): BackendLine {
    let line = this.lines.get(series.id);
    if (!line) {
      // A backend new to the panel: nothing before its first second.
      const empty = (): null[] => this.seconds.map(() => null);
      line = { id: series.id, label: series.label, counts: empty(), failures: empty(), p50: empty(), p99: empty(), connect: { p50: empty(), p99: empty() }, states: empty() };
      this.lines.set(series.id, line);
    }
    return line;
  }
}

/** Appends second `i` of `series`; where the backend did not exist (no state), there is no count either. */
function pushSecond(line: BackendLine, series: BackendSeries | undefined, i: number): void {
  const existed = series !== undefined && series.states[i] !== null;
  line.counts.push(existed ? series.counts[i] : null);
  line.failures.push(existed ? series.failures[i] : null);
  line.p50.push(series ? series.p50[i] : null);
  line.p99.push(series ? series.p99[i] : null);
  line.connect.p50.push(series?.connect?.p50[i] ?? null);
  line.connect.p99.push(series?.connect?.p99[i] ?? null);
  line.states.push(series ? series.states[i] : null);
}

/** The backends' states changes, for the band's text alternative: `two: down at 14:03:10`, the last with why it is down. */
export function stateChanges(model: TrafficModel, time: (second: number) => string): string[] {
  const changes: string[] = [];
  for (const line of model.lines.values()) {
    let previous: BandState | null = null;
    let last = -1;
    line.states.forEach((state, i) => {
      if (state !== previous && state !== null) last = changes.push(`${line.label}: ${state} at ${time(model.seconds[i])}`) - 1;
      previous = state;
    });
    if (line.down && previous === 'down' && last >= 0) changes[last] += ` (${line.down})`;
  }
  return changes;
}
