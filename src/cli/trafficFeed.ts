// The traffic panel's data for the admin endpoint: the balancer's record (with `--workers`, every
// process's added up), the recent entries kept only while a page polls for them.
import { ADDED_UP, MergedRecords, type LoadBalancer, type TrafficCursor, type TrafficEntry, type TrafficRecord } from '../balancer';

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
  /** With workers: every process's record added up, entries numbered anew as they come. */
  private readonly merged = new MergedRecords(ADDED_UP);

  constructor(
    private readonly balancer: LoadBalancer,
    private readonly workers?: WorkerTraffic,
  ) {
    this.lease = new TrafficLease(balancer);
  }

  /**
   * The requests kept with the inspector's details, oldest first: this process's (each worker keeps
   * its own). Asking for them is watching: the requests that follow are recorded too.
   */
  detailed(): TrafficEntry[] {
    this.lease.renew();
    return this.balancer.traffic.detailed();
  }

  /** Row `seq`, with its details. With workers the rows are numbered anew as they are merged: none is found. */
  entry(seq: number): TrafficEntry | undefined {
    this.lease.renew();
    return this.workers ? undefined : this.balancer.traffic.entry(seq);
  }

  /** What is new since `cursor` (everything kept, without one), as recorded. */
  async record(cursor?: TrafficCursor): Promise<TrafficRecord> {
    this.lease.renew();
    if (!this.workers) return this.balancer.traffic.read(cursor);
    const own = this.balancer.traffic.read(this.merged.cursorOf('main', cursor));
    const others = await this.workers.workerTraffic(cursor?.second ?? 0);
    return this.merged.merge([{ key: 'main', record: own }, ...others.map((record, i) => ({ key: `worker ${i + 1}`, record }))], cursor);
  }
}
