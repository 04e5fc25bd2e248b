// Times in fixed buckets (no list of samples: recording is O(1) and allocates nothing), and the
// percentiles read back from the counts.
import type { LatencyHistogram, Percentiles } from '../types';

/** Upper bounds of the buckets, in ms; the last bucket takes everything above. */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.5, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500,
  10000, 15000, 30000, 60000,
];
/** One more than the bounds: the last counts what is slower than the last bound. */
export const BUCKETS = LATENCY_BUCKETS_MS.length + 1;

export function bucketOf(ms: number): number {
  let bucket = 0;
  while (bucket < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[bucket]) bucket++;
  return bucket;
}

/** The fastest and slowest times counted: no percentile lies outside them, whatever its bucket's bounds. */
export interface Range {
  fastest: number;
  slowest: number;
}

/** The p50, p95 and p99 of the `BUCKETS` counts from `offset`, within `range`; undefined when they count nothing. */
export function percentiles(counts: ArrayLike<number>, offset = 0, range?: Range): Percentiles | undefined {
  const total = countAll(counts, offset);
  if (total === 0) return undefined;
  const at = (q: number): number => within(percentile(counts, offset, q * total), range);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** `ms` moved into `range`: one answer of 305 ms is a p50 of 305 ms, not the middle of its 300–400 ms bucket. */
export function within(ms: number, range: Range | undefined): number {
  return range ? Math.min(range.slowest, Math.max(range.fastest, ms)) : ms;
}

export function countAll(counts: ArrayLike<number>, offset = 0): number {
  let total = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) total += counts[offset + bucket] ?? 0;
  return total;
}

/** The time under which `rank` of the counted times came, interpolated within its bucket. */
export function percentile(counts: ArrayLike<number>, offset: number, rank: number): number {
  let seen = 0;
  for (let bucket = 0; bucket < BUCKETS; bucket++) {
    const count = counts[offset + bucket] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const low = bucket === 0 ? 0 : LATENCY_BUCKETS_MS[bucket - 1];
      const high = LATENCY_BUCKETS_MS[bucket] ?? low;
      return Math.round((low + ((high - low) * (rank - seen)) / count) * 100) / 100;
    }
    seen += count;
  }
  return 0;
}

/** One kind of time over a balancer's life (since the last reset), for `/stats`, `/metrics` and the tooltips. */
export class LatencyStats {
  readonly counts = new Array<number>(BUCKETS).fill(0);
  readonly range: Range = { fastest: Infinity, slowest: 0 };
  private sumMs = 0;

  record(ms: number): void {
    this.counts[bucketOf(ms)]++;
    this.sumMs += ms;
    if (ms < this.range.fastest) this.range.fastest = ms;
    if (ms > this.range.slowest) this.range.slowest = ms;
  }

  reset(): void {
    this.counts.fill(0);
    this.sumMs = 0;
    this.range.fastest = Infinity;
    this.range.slowest = 0;
  }

  snapshot(): Percentiles | undefined {
    return percentiles(this.counts, 0, this.range);
  }

  histogram(): LatencyHistogram {
    return withRange({ counts: [...this.counts], sumMs: this.sumMs }, this.range.fastest, this.range.slowest);
  }
}

/** The percentiles of a histogram from `/stats`, one process's or several added up. */
export function percentilesOf(histogram: LatencyHistogram): Percentiles | undefined {
  const { counts, fastestMs, slowestMs } = histogram;
  return percentiles(counts, 0, fastestMs === undefined ? undefined : { fastest: fastestMs, slowest: slowestMs ?? Infinity });
}

/** Two processes' histograms added up. */
export function addHistograms(a: LatencyHistogram, b: LatencyHistogram): LatencyHistogram {
  const counts = a.counts.map((count, i) => count + (b.counts[i] ?? 0));
  return withRange({ counts, sumMs: a.sumMs + b.sumMs }, Math.min(a.fastestMs ?? Infinity, b.fastestMs ?? Infinity), Math.max(a.slowestMs ?? 0, b.slowestMs ?? 0));
}

/** The fastest and slowest times, when there were any. */
function withRange(histogram: LatencyHistogram, fastest: number, slowest: number): LatencyHistogram {
  return fastest === Infinity ? histogram : { ...histogram, fastestMs: fastest, slowestMs: slowest };
}
