// Traffic records worked on outside the recorder: several processes' added up (`--workers`), and
// turned into what a panel draws (percentiles per second).
import { percentile, countAll, BUCKETS } from './histogram';
import { BAND_STATES, type BackendRecord, type BackendSeries, type TrafficRecord, type TrafficUpdate } from './trafficTypes';

/** The percentiles a panel draws, from each second's histogram. */
export function toUpdate(record: TrafficRecord): TrafficUpdate {
  return { ...record, backends: record.backends.map(toSeries) };
}

function toSeries({ id, label, counts, failures, states, latency }: BackendRecord): BackendSeries {
  const histogram = new Array<number>(BUCKETS);
  const p50: Array<number | null> = [];
  const p99: Array<number | null> = [];
  for (const sparse of latency) {
    histogram.fill(0);
    for (let i = 0; i < sparse.length; i += 2) histogram[sparse[i]] = sparse[i + 1];
    const total = countAll(histogram);
    p50.push(total > 0 ? percentile(histogram, 0, 0.5 * total) : null);
    p99.push(total > 0 ? percentile(histogram, 0, 0.99 * total) : null);
  }
  return { id, label, counts, failures, states: states.map((code) => BAND_STATES[code - 1] ?? null), p50, p99 };
}

/**
 * Records of processes serving the same backends over the same seconds, added up: counts, failures
 * and histograms summed, the state from the first that knew the backend. Entries are not merged here.
 */
export function addRecords(records: readonly TrafficRecord[]): Omit<TrafficRecord, 'entries' | 'cursor'> {
  const [first] = records;
  const byId = new Map<string, BackendRecord>();
  for (const { backends } of records) {
    for (const backend of backends) {
      const sum = byId.get(backend.id);
      if (!sum) {
        byId.set(backend.id, { ...backend, latency: backend.latency.map((sparse) => [...sparse]) });
        continue;
      }
      for (let i = 0; i < sum.counts.length; i++) {
        sum.counts[i] += backend.counts[i] ?? 0;
        sum.failures[i] += backend.failures[i] ?? 0;
        sum.states[i] ||= backend.states[i] ?? 0;
        sum.latency[i] = addSparse(sum.latency[i], backend.latency[i] ?? []);
      }
    }
  }
  return { mode: first.mode, from: first.from, to: first.to, backends: [...byId.values()] };
}

function addSparse(a: number[], b: number[]): number[] {
  const sums = new Array<number>(BUCKETS).fill(0);
  for (const sparse of [a, b]) for (let i = 0; i < sparse.length; i += 2) sums[sparse[i]] += sparse[i + 1];
  return sums.flatMap((count, bucket) => (count > 0 ? [bucket, count] : []));
}
