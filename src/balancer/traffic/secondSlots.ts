// One backend's last seconds in a ring of slots: connections or requests, failures, its state, and a
// latency histogram per second. Fixed arrays: recording allocates nothing.
import { BUCKETS } from './histogram';
import { HISTORY_SECONDS } from './trafficTypes';

/** The seconds of history and the one under way. */
export const SLOTS = HISTORY_SECONDS + 1;

export class SecondSlots {
  readonly counts = new Uint32Array(SLOTS);
  readonly failures = new Uint32Array(SLOTS);
  /** Index in `BAND_STATES` plus one; 0: the backend did not exist then. */
  readonly states = new Uint8Array(SLOTS);
  /** `BUCKETS` counts per slot. */
  readonly latency = new Uint32Array(SLOTS * BUCKETS);
  /** The fastest and slowest times of each slot (Infinity and 0 when none). */
  readonly fastest = new Float32Array(SLOTS).fill(Infinity);
  readonly slowest = new Float32Array(SLOTS);

  clear(slot: number): void {
    this.counts[slot] = 0;
    this.failures[slot] = 0;
    this.states[slot] = 0;
    this.latency.fill(0, slot * BUCKETS, (slot + 1) * BUCKETS);
    this.fastest[slot] = Infinity;
    this.slowest[slot] = 0;
  }

  /** A second's histogram as `[bucket, count, …]`, its empty buckets left out. */
  sparseLatency(slot: number): number[] {
    const sparse: number[] = [];
    const offset = slot * BUCKETS;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const count = this.latency[offset + bucket];
      if (count > 0) sparse.push(bucket, count);
    }
    return sparse;
  }
}
