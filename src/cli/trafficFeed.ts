// The traffic panel's data for the admin endpoint: the balancer's record (with `--workers`, every
// process's added up), the recent entries kept only while a page polls for them.
import { addRecords, RecentEntries, RECENT_ENTRIES, sliceRecord, toUpdate, type LoadBalancer, type TrafficCursor, type TrafficRecord, type TrafficUpdate } from '../balancer';

/** Entries are kept this long after the last poll, so that a closed page soon costs nothing. */
const LEASE_MS = 15_000;

/** Keeps a balancer's recent entries while polls keep coming. */
export class TrafficLease {
  private stopWatching?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(private readonly balancer: LoadBalancer) {}

  renew(): void {
    this.stopWatching ??= this.balancer.traffic.watch();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.stopWatching?.();
      this.stopWatching = undefined;
    }, LEASE_MS).unref();
  }
}

/** The other processes of `--workers`. */
export interface WorkerTraffic {
  workerTraffic(second: number): Promise<TrafficRecord[]>;
}

export class TrafficFeed {
  private readonly lease: TrafficLease;
  /** With workers: every process's entries, numbered anew as they come. */
  private readonly merged = new RecentEntries(RECENT_ENTRIES);
  /** The last of the main process's own entries taken into `merged`. */
  private ownSeq = 0;

  constructor(
    private readonly balancer: LoadBalancer,
    private readonly workers?: WorkerTraffic,
  ) {
    this.lease = new TrafficLease(balancer);
  }

  async update(cursor?: TrafficCursor): Promise<TrafficUpdate> {
    this.lease.renew();
    if (!this.workers) return toUpdate(this.balancer.traffic.read(cursor));
    const second = cursor?.second ?? 0;
    const own = this.balancer.traffic.read({ second, seq: this.ownSeq });
    this.ownSeq = own.cursor.seq;
    const records = [own, ...(await this.workers.workerTraffic(second))];
    // A second may have ended between two processes' reads: only the seconds all of them gave.
    const from = Math.max(...records.map((record) => record.from));
    const to = Math.min(...records.map((record) => record.to));
    const sum = addRecords(records.map((record) => within(record, from, to)));
    const ended = records.flatMap((record) => record.entries).sort((a, b) => a.at + a.durationMs - (b.at + b.durationMs));
    for (const entry of ended) {
      const slot = this.merged.next();
      Object.assign(slot, entry, { seq: slot.seq });
    }
    return toUpdate({ ...sum, entries: this.merged.since(cursor?.seq ?? 0), cursor: { second: Math.max(to, second), seq: this.merged.lastSeq } });
  }
}

/** The record's seconds from `from` to `to`. */
function within(record: TrafficRecord, from: number, to: number): TrafficRecord {
  const start = from - record.from;
  const end = Math.max(start, to - record.from + 1);
  return {
    ...record,
    from,
    to,
    backends: record.backends.map((backend) => sliceRecord(backend, start, end)),
  };
}
