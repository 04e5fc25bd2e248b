// Traffic records worked on outside the recorder: several processes' added up (`--workers`), and
// turned into what a panel draws (percentiles per second).
import { BUCKETS, countAll, percentile, within } from '../statistics/histogram';
import {
  BAND_STATES,
  type BackendRecord,
  type BackendSeries,
  type PercentileSeries,
  type SecondTimes,
  type TrafficRecord,
  type TrafficUpdate,
} from './trafficTypes';

/** Two decimals: a Float32 slowest time would otherwise show as 305.0400085449219. */
const round = (ms: number): number => Math.round(ms * 100) / 100;

/** The percentiles a panel draws, from each second's histogram. */
export function toUpdate(record: TrafficRecord): TrafficUpdate {
  return { ...record, backends: record.backends.map(toSeries) };
}

function toSeries(record: BackendRecord): BackendSeries {
  const { id, label, counts, failures, states, connect, down } = record;
  return {
    id,
    label,
    ...(down === undefined ? {} : { down }),
    counts,
    failures,
    states: states.map((code) => BAND_STATES[code - 1] ?? null),
    ...percentilesPerSecond(record),
    ...(connect ? { connect: percentilesPerSecond(connect) } : {}),
  };
}

function percentilesPerSecond({ latency, fastest, slowest }: SecondTimes): PercentileSeries {
  const histogram = new Array<number>(BUCKETS);
  const p50: Array<number | null> = [];
  const p99: Array<number | null> = [];
  latency.forEach((sparse, second) => {
    histogram.fill(0);
    for (let i = 0; i < sparse.length; i += 2) histogram[sparse[i]] = sparse[i + 1];
    const total = countAll(histogram);
    const range = { fastest: fastest[second] ?? 0, slowest: slowest[second] ?? Infinity };
    p50.push(total > 0 ? round(within(percentile(histogram, 0, 0.5 * total), range)) : null);
    p99.push(total > 0 ? round(within(percentile(histogram, 0, 0.99 * total), range)) : null);
  });
  return { p50, p99 };
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
        byId.set(backend.id, sliceRecord(backend, 0, backend.counts.length));
        continue;
      }
      for (let i = 0; i < sum.counts.length; i++) {
        sum.counts[i] += backend.counts[i] ?? 0;
        sum.failures[i] += backend.failures[i] ?? 0;
        sum.states[i] ||= backend.states[i] ?? 0;
        addTimes(sum, backend, i);
        if (sum.connect && backend.connect) addTimes(sum.connect, backend.connect, i);
      }
    }
  }
  return { mode: first.mode, from: first.from, to: first.to, backends: [...byId.values()] };
}

/** A copy of the record's seconds from index `start` to `end` (excluded). */
export function sliceRecord(record: BackendRecord, start: number, end: number): BackendRecord {
  return {
    ...record,
    counts: record.counts.slice(start, end),
    failures: record.failures.slice(start, end),
    states: record.states.slice(start, end),
    ...sliceTimes(record, start, end),
    ...(record.connect ? { connect: sliceTimes(record.connect, start, end) } : {}),
  };
}

function sliceTimes(times: SecondTimes, start: number, end: number): SecondTimes {
  return { latency: times.latency.slice(start, end).map((sparse) => [...sparse]), fastest: times.fastest.slice(start, end), slowest: times.slowest.slice(start, end) };
}

/** Second `i` of `other` added to `sum`'s. */
function addTimes(sum: SecondTimes, other: SecondTimes, i: number): void {
  sum.latency[i] = addSparse(sum.latency[i], other.latency[i] ?? []);
  sum.fastest[i] = least(sum.fastest[i], other.fastest[i]);
  sum.slowest[i] = most(sum.slowest[i], other.slowest[i]);
}

/** The smaller or larger of two times that may be missing. */
const least = (a: number | null, b: number | null | undefined): number | null => (a === null ? (b ?? null) : b === null || b === undefined ? a : Math.min(a, b));
const most = (a: number | null, b: number | null | undefined): number | null => (a === null ? (b ?? null) : b === null || b === undefined ? a : Math.max(a, b));

function addSparse(a: number[], b: number[]): number[] {
  const sums = new Array<number>(BUCKETS).fill(0);
  for (const sparse of [a, b]) for (let i = 0; i < sparse.length; i += 2) sums[sparse[i]] += sparse[i + 1];
  return sums.flatMap((count, bucket) => (count > 0 ? [bucket, count] : []));
}
