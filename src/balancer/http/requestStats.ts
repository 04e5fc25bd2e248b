// Requests counted in HTTP mode: how many, the answers by class, and time to the answer's head in a
// fixed-bucket histogram (no list of samples: recording is O(1) and allocates nothing).
import { LatencyStats, LATENCY_BUCKETS_MS, percentiles, type Range } from '../traffic/histogram';
import type { RequestStatsSnapshot } from '../types';

/** Upper bounds of the histogram's buckets, in ms; the last bucket takes everything above. */
export const RESPONSE_BUCKETS_MS = LATENCY_BUCKETS_MS;

export class RequestStats {
  total = 0;
  /** Requests whose answer has not ended yet. */
  active = 0;
  /** Answers by class: index 0 is 1xx, 4 is 5xx. */
  readonly answers = [0, 0, 0, 0, 0];
  /** The times to the answers' heads, in buckets of `RESPONSE_BUCKETS_MS` and one above the last. */
  readonly times = new LatencyStats();
  sumMs = 0;

  /** An answer's head arrived `ms` after its request was sent (answers the balancer made count without a time). */
  answered(status: number, ms?: number): void {
    const kind = Math.floor(status / 100) - 1;
    if (kind >= 0 && kind < 5) this.answers[kind]++;
    if (ms === undefined) return;
    this.times.record(ms);
    this.sumMs += ms;
  }

  reset(): void {
    this.total = this.active;
    this.answers.fill(0);
    this.times.reset();
    this.sumMs = 0;
  }

  snapshot(): RequestStatsSnapshot {
    const [c1, c2, c3, c4, c5] = this.answers;
    return withPercentiles({
      total: this.total,
      active: this.active,
      answers: { '1xx': c1, '2xx': c2, '3xx': c3, '4xx': c4, '5xx': c5 },
      histogram: { counts: [...this.times.counts], sumMs: this.sumMs, ...rangeOf(this.times.range) },
    });
  }
}

/** The counts of several balancers (one per process) added up; percentiles come from the summed histogram. */
export function addRequestStats(a: RequestStatsSnapshot, b: RequestStatsSnapshot): RequestStatsSnapshot {
  const answers = { ...a.answers };
  for (const kind of Object.keys(answers) as Array<keyof typeof answers>) answers[kind] += b.answers[kind];
  return withPercentiles({
    total: a.total + b.total,
    active: a.active + b.active,
    answers,
    histogram: {
      counts: a.histogram.counts.map((count, i) => count + (b.histogram.counts[i] ?? 0)),
      sumMs: a.histogram.sumMs + b.histogram.sumMs,
      ...rangeOf({
        fastest: Math.min(a.histogram.fastestMs ?? Infinity, b.histogram.fastestMs ?? Infinity),
        slowest: Math.max(a.histogram.slowestMs ?? 0, b.histogram.slowestMs ?? 0),
      }),
    },
  });
}

/** The fastest and slowest answers, when there were any. */
function rangeOf({ fastest, slowest }: Range): { fastestMs?: number; slowestMs?: number } {
  return fastest === Infinity ? {} : { fastestMs: fastest, slowestMs: slowest };
}

function withPercentiles(stats: Omit<RequestStatsSnapshot, 'responseMs'>): RequestStatsSnapshot {
  const { counts, fastestMs, slowestMs } = stats.histogram;
  const responseMs = percentiles(counts, 0, fastestMs === undefined ? undefined : { fastest: fastestMs, slowest: slowestMs ?? Infinity });
  return responseMs ? { ...stats, responseMs } : stats;
}
