// Requests counted in HTTP mode: how many, the answers by class, and time to the answer's head in a
// fixed-bucket histogram (no list of samples: recording is O(1) and allocates nothing).
import { addHistograms, LatencyStats, percentilesOf } from './histogram';
import type { RequestStatsSnapshot } from '../types';

export class RequestStats {
  total = 0;
  /** Requests whose answer has not ended yet. */
  active = 0;
  /** Answers by class: index 0 is 1xx, 4 is 5xx. */
  readonly answers = [0, 0, 0, 0, 0];
  /** The times to the answers' heads, in buckets of `LATENCY_BUCKETS_MS` and one above the last. */
  readonly times = new LatencyStats();

  /** An answer's head arrived `ms` after its request was sent (answers the balancer made count without a time). */
  answered(status: number, ms?: number): void {
    const kind = Math.floor(status / 100) - 1;
    if (kind >= 0 && kind < 5) this.answers[kind]++;
    if (ms === undefined) return;
    this.times.record(ms);
  }

  reset(): void {
    this.total = this.active;
    this.answers.fill(0);
    this.times.reset();
  }

  snapshot(): RequestStatsSnapshot {
    const [c1, c2, c3, c4, c5] = this.answers;
    return withPercentiles({
      total: this.total,
      active: this.active,
      answers: { '1xx': c1, '2xx': c2, '3xx': c3, '4xx': c4, '5xx': c5 },
      histogram: this.times.histogram(),
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
    histogram: addHistograms(a.histogram, b.histogram),
  });
}

function withPercentiles(stats: Omit<RequestStatsSnapshot, 'responseMs'>): RequestStatsSnapshot {
  const responseMs = percentilesOf(stats.histogram);
  return responseMs ? { ...stats, responseMs } : stats;
}
