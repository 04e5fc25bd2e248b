// The last connections or requests that ended, in a ring of entries made once and overwritten, and
// what the inspector keeps of them, within a byte budget (the oldest details go first).
import type { RequestDetails } from '../types';
import type { TrafficEntry } from './trafficTypes';

/** The most the inspector's details may weigh, all entries together. */
export const DETAILS_BUDGET_BYTES = 8 * 1024 * 1024;

export class RecentEntries {
  private readonly ring: TrafficEntry[];
  /** The seq of the newest entry; 0 before the first. */
  private last = 0;
  /** What the details kept weigh, by their entries' seq, oldest first. */
  private readonly detailBytes = new Map<number, number>();
  private detailTotal = 0;

  constructor(
    readonly capacity: number,
    private readonly budget = DETAILS_BUDGET_BYTES,
  ) {
    this.ring = Array.from({ length: capacity }, () => ({ seq: 0, at: 0, client: '', durationMs: 0, bytesIn: 0, bytesOut: 0, outcome: 'answered' }));
  }

  get lastSeq(): number {
    return this.last;
  }

  /** The next entry to fill: the oldest one, emptied, under a new seq. */
  next(): TrafficEntry {
    const entry = this.ring[this.last % this.capacity];
    this.dropDetails(entry);
    entry.seq = ++this.last;
    entry.backend = entry.method = entry.path = entry.status = entry.pool = undefined;
    return entry;
  }

  /** Keeps `details` with `entry` (the newest), dropping the oldest details kept while over the budget. */
  keepDetails(entry: TrafficEntry, details: RequestDetails): void {
    const bytes = weight(details);
    entry.details = details;
    this.detailBytes.set(entry.seq, bytes);
    this.detailTotal += bytes;
    for (const [seq] of this.detailBytes) {
      if (this.detailTotal <= this.budget || seq === entry.seq) break;
      this.dropDetails(this.ring[(seq - 1) % this.capacity]);
    }
  }

  /** What the details kept weigh, in bytes (as counted against the budget). */
  get detailsWeight(): number {
    return this.detailTotal;
  }

  /** Copies of the entries kept with their details, oldest first. */
  withDetails(): TrafficEntry[] {
    const first = Math.max(this.last - this.capacity + 1, 1);
    const copies: TrafficEntry[] = [];
    for (let n = first; n <= this.last; n++) {
      const entry = this.ring[(n - 1) % this.capacity];
      if (entry.details) copies.push({ ...withoutEmpty(entry), details: entry.details });
    }
    return copies;
  }

  private dropDetails(entry: TrafficEntry): void {
    if (!entry.details) return;
    this.detailTotal -= this.detailBytes.get(entry.seq) ?? 0;
    this.detailBytes.delete(entry.seq);
    entry.details = undefined;
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
  for (const key of ['backend', 'method', 'path', 'status', 'pool'] as const) if (copy[key] === undefined) delete copy[key];
  // The details are asked for apart: the table's updates stay small.
  delete copy.details;
  return copy;
}

/** Bytes the details hold, about: their texts, and a little for each field. */
function weight(details: RequestDetails): number {
  let bytes = 256 + details.host.length + (details.ownAnswer?.length ?? 0) + (details.fault?.length ?? 0);
  const lines = [details.requestHeaders, details.addedHeaders, details.response?.headers ?? []];
  for (const headers of lines) for (const [name, value] of headers) bytes += 32 + name.length + value.length;
  for (const name of details.removedHeaders) bytes += 16 + name.length;
  for (const attempt of details.attempts ?? []) bytes += 32 + attempt.backend.length + attempt.error.length;
  return bytes;
}
