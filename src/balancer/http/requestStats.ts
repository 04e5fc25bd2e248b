// Requests counted in HTTP mode: how many, the answers by class, and time to the answer's head in a
// fixed-bucket histogram (no list of samples: recording is O(1) and allocates nothing).
import type { RequestStatsSnapshot } from '../types';

/** Upper bounds of the histogram's buckets, in ms; the last bucket takes everything above. */
export const RESPONSE_BUCKETS_MS: readonly number[] = [
  0.5, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500,
  10000, 15000, 30000, 60000,
];

export class RequestStats {
  total = 0;
  /** Requests whose answer has not ended yet. */
  active = 0;
  /** Answers by class: index 0 is 1xx, 4 is 5xx. */
  readonly answers = [0, 0, 0, 0, 0];
  /** One more than the bounds: the last counts answers slower than the last bound. */
  readonly buckets = new Array<number>(RESPONSE_BUCKETS_MS.length + 1).fill(0);
  sumMs = 0;

  /** An answer's head arrived `ms` after its request was sent (answers the balancer made count without a time). */
  answered(status: number, ms?: number): void {
    const kind = Math.floor(status / 100) - 1;
    if (kind >= 0 && kind < 5) this.answers[kind]++;
    if (ms === undefined) return;
    let bucket = 0;
    while (bucket < RESPONSE_BUCKETS_MS.length && ms > RESPONSE_BUCKETS_MS[bucket]) bucket++;
    this.buckets[bucket]++;
    this.sumMs += ms;
  }

  reset(): void {
    this.total = this.active;
    this.answers.fill(0);
    this.buckets.fill(0);
    this.sumMs = 0;
  }

  snapshot(): RequestStatsSnapshot {
    const [c1, c2, c3, c4, c5] = this.answers;
    const timed = this.buckets.reduce((sum, count) => sum + count, 0);
    return {
      total: this.total,
      active: this.active,
      answers: { '1xx': c1, '2xx': c2, '3xx': c3, '4xx': c4, '5xx': c5 },
      ...(timed > 0 ? { responseMs: { p50: this.percentile(0.5, timed), p95: this.percentile(0.95, timed), p99: this.percentile(0.99, timed) } } : {}),
      histogram: { counts: [...this.buckets], sumMs: this.sumMs },
    };
  }

  /** The time under which `fraction` of the answers came, interpolated within its bucket. */
  private percentile(fraction: number, timed: number): number {
    const rank = fraction * timed;
    let seen = 0;
    for (let bucket = 0; bucket < this.buckets.length; bucket++) {
      const count = this.buckets[bucket];
      if (count > 0 && seen + count >= rank) {
        const low = bucket === 0 ? 0 : RESPONSE_BUCKETS_MS[bucket - 1];
        const high = RESPONSE_BUCKETS_MS[bucket] ?? low;
        return Math.round((low + ((high - low) * (rank - seen)) / count) * 100) / 100;
      }
      seen += count;
    }
    return 0;
  }
}
