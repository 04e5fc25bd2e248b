// The last connections or requests that ended, in a ring of entries made once and overwritten.
import type { TrafficEntry } from './trafficTypes';

export class RecentEntries {
  private readonly ring: TrafficEntry[];
  /** The seq of the newest entry; 0 before the first. */
  private last = 0;

  constructor(readonly capacity: number) {
    this.ring = Array.from({ length: capacity }, () => ({ seq: 0, at: 0, client: '', durationMs: 0, bytesIn: 0, bytesOut: 0, outcome: 'answered' }));
  }

  get lastSeq(): number {
    return this.last;
  }

  /** The next entry to fill: the oldest one, emptied, under a new seq. */
  next(): TrafficEntry {
    const entry = this.ring[this.last % this.capacity];
    entry.seq = ++this.last;
    entry.backend = entry.method = entry.path = entry.status = entry.pool = undefined;
    return entry;
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
  return copy;
}
