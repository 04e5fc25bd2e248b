// One backend's last seconds in a ring of slots: connections or requests, failures, its state, and
// latency histograms per second. Fixed arrays: recording allocates nothing.
import { BUCKETS, bucketOf } from './histogram';
import { HISTORY_SECONDS, type SecondTimes } from '../traffic/trafficTypes';

/** The seconds of history and the one under way. */
export const SLOTS = HISTORY_SECONDS + 1;

/** A time, per slot: a histogram of `BUCKETS` counts, and the fastest and slowest time. */
export class SlotTimes {
  private readonly buckets = new Uint32Array(SLOTS * BUCKETS);
  /** Infinity and 0 in a slot with no time. */
  private readonly fastest = new Float32Array(SLOTS).fill(Infinity);
  private readonly slowest = new Float32Array(SLOTS);

  record(slot: number, ms: number): void {
    this.buckets[slot * BUCKETS + bucketOf(ms)]++;
    if (ms < this.fastest[slot]) this.fastest[slot] = ms;
    if (ms > this.slowest[slot]) this.slowest[slot] = ms;
  }

  clear(slot: number): void {
    this.buckets.fill(0, slot * BUCKETS, (slot + 1) * BUCKETS);
    this.fastest[slot] = Infinity;
    this.slowest[slot] = 0;
  }

  /** Appends a slot to `times`: its histogram as `[bucket, count, …]`, empty buckets left out. */
  appendTo(times: SecondTimes, slot: number): void {
    const sparse: number[] = [];
    const offset = slot * BUCKETS;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const count = this.buckets[offset + bucket];
      if (count > 0) sparse.push(bucket, count);
    }
    times.latency.push(sparse);
    const none = this.fastest[slot] === Infinity;
    times.fastest.push(none ? null : this.fastest[slot]);
    times.slowest.push(none ? null : this.slowest[slot]);
  }
}

export class SecondSlots {
  readonly counts = new Uint32Array(SLOTS);
  readonly failures = new Uint32Array(SLOTS);
  /** Index in `BAND_STATES` plus one; 0: the backend did not exist then. */
  readonly states = new Uint8Array(SLOTS);
  /** HTTP mode: times to the answer's head; TCP mode: to the backend's first byte reaching its client. */
  readonly answers = new SlotTimes();
  /** TCP mode: times to connect. */
  readonly connects = new SlotTimes();

  clear(slot: number): void {
    this.counts[slot] = 0;
    this.failures[slot] = 0;
    this.states[slot] = 0;
    this.answers.clear(slot);
    this.connects.clear(slot);
  }
}
