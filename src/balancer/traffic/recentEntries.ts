// The last connections or requests that ended, in a ring of entries made once and overwritten, and
// what the inspector keeps of them, within a byte budget (the oldest records go first).
import type { RecordedRequest } from '../types';
import { requestDetails } from './requestDetails';
import type { TrafficEntry } from './trafficTypes';

/** The most the inspector's records may weigh, all entries together. */
export const DETAILS_BUDGET_BYTES = 8 * 1024 * 1024;

export class RecentEntries {
  private readonly ring: TrafficEntry[];
  /** Each ring slot's inspector record, while kept. */
  private readonly records: Array<RecordedRequest | undefined>;
  /** The seq of the newest entry; 0 before the first. */
  private last = 0;
  /** What the records kept weigh, by their entries' seq, oldest first. */
  private readonly weights = new Map<number, number>();
  private total = 0;

  constructor(
    readonly capacity: number,
    private readonly budget = DETAILS_BUDGET_BYTES,
  ) {
    this.ring = Array.from({ length: capacity }, () => ({ seq: 0, at: 0, client: '', durationMs: 0, bytesIn: 0, bytesOut: 0, outcome: 'answered' }));
    this.records = new Array<RecordedRequest | undefined>(capacity);
  }

  get lastSeq(): number {
    return this.last;
  }

  /** The next entry to fill: the oldest one, emptied, under a new seq. */
  next(): TrafficEntry {
    const entry = this.ring[this.last % this.capacity];
    this.drop(entry.seq);
    entry.seq = ++this.last;
    entry.backend = entry.method = entry.path = entry.status = entry.pool = entry.replay = undefined;
    return entry;
  }

  /** Keeps the inspector's record of `entry` (the newest), dropping the oldest records while over the budget. */
  keepRecord(entry: TrafficEntry, record: RecordedRequest): void {
    const bytes = weight(record);
    this.records[(entry.seq - 1) % this.capacity] = record;
    this.weights.set(entry.seq, bytes);
    this.total += bytes;
    for (const [seq] of this.weights) {
      if (this.total <= this.budget || seq === entry.seq) break;
      this.drop(seq);
    }
  }

  /** What the records kept weigh, in bytes (as counted against the budget). */
  get recordsWeight(): number {
    return this.total;
  }

  /** Copies of the entries kept with a record, oldest first, each with its details read. */
  withDetails(): TrafficEntry[] {
    const copies: TrafficEntry[] = [];
    for (const seq of this.weights.keys()) {
      const slot = (seq - 1) % this.capacity;
      const record = this.records[slot];
      if (record) copies.push({ ...withoutEmpty(this.ring[slot]), details: requestDetails(record) });
    }
    return copies;
  }

  /** The entry `seq` with its details read, while it is kept; the entry alone when it has no record; undefined once gone. */
  entry(seq: number): TrafficEntry | undefined {
    if (seq < 1 || seq > this.last || seq <= this.last - this.capacity) return undefined;
    const slot = (seq - 1) % this.capacity;
    const record = this.records[slot];
    return { ...withoutEmpty(this.ring[slot]), ...(record ? { details: requestDetails(record) } : {}) };
  }

  private drop(seq: number): void {
    const bytes = this.weights.get(seq);
    if (bytes === undefined) return;
    this.total -= bytes;
    this.weights.delete(seq);
    this.records[(seq - 1) % this.capacity] = undefined;
  }

  /** Copies of the entries after `seq`, oldest first: at most `capacity`. */
  since(seq: number): TrafficEntry[] {
    const first = Math.max(seq + 1, this.last - this.capacity + 1, 1);
    const copies: TrafficEntry[] = [];
    for (let n = first; n <= this.last; n++) copies.push(withoutEmpty(this.ring[(n - 1) % this.capacity]));
    return copies;
  }
}

/** A copy without the fields left undefined, so that it serializes as it reads. */
function withoutEmpty(entry: TrafficEntry): TrafficEntry {
  const copy = { ...entry };
  for (const key of ['backend', 'method', 'path', 'status', 'pool', 'replay'] as const) if (copy[key] === undefined) delete copy[key];
  // The details are asked for apart: the table's updates stay small.
  return copy;
}

/** Bytes a record holds, about: its heads' text (a byte a character, as V8 keeps latin1), and its small parts. */
function weight(record: RecordedRequest): number {
  let bytes = 512 + record.requestHead.length + (record.answerHead?.length ?? 0) + (record.ownAnswer?.length ?? 0);
  for (const [name, value] of record.addedHeaders) bytes += 64 + name.length + value.length;
  for (const name of record.removedHeaders) bytes += 32 + name.length;
  for (const attempt of record.attempts ?? []) bytes += 64 + attempt.backend.length + attempt.error.length;
  return bytes;
}
