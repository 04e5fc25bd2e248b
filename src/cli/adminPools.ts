// The pools as the admin endpoint serves them, and the pool its paths without a pool name mean.
import type { BalancerSnapshot, Fault, FaultSpec, TrafficCursor, TrafficEntry, TrafficRecord } from '../balancer';

/** Where a pool's statistics come from: one balancer, or several processes' added up. */
export interface StatisticsSource {
  snapshot(): BalancerSnapshot | Promise<BalancerSnapshot>;
}

/** What the API changes: one balancer, or the main process of several that passes changes on. */
export interface FaultControl {
  /** Throws a `NotFoundError` for an unknown backend. */
  faults(backend: string): readonly Fault[];
  addFault(backend: string, spec: FaultSpec): Fault;
  removeFault(backend: string, name: string): void;
  clearFaults(): void;
}

/** A pool's traffic record since a cursor (everything kept, without one), and the requests kept with their details. */
export interface TrafficSource {
  record(cursor?: TrafficCursor): Promise<TrafficRecord>;
  detailed(): TrafficEntry[];
  /** Row `seq` of `record`'s entries, with its details, while it is kept. */
  entry(seq: number): TrafficEntry | undefined;
}

export interface AdminPool {
  name: string;
  statistics: StatisticsSource & FaultControl;
  traffic: TrafficSource;
}

/** The pools served now, in their order. */
export type AdminPools = () => readonly AdminPool[];

/** What the paths of one balancer (`/backends/…`, `/stats`' top level) mean: the pool `default`, or the only pool. */
export function mainPool(pools: readonly AdminPool[]): AdminPool | undefined {
  return pools.find((pool) => pool.name === 'default') ?? (pools.length === 1 ? pools[0] : undefined);
}

export function poolNames(pools: readonly AdminPool[]): string {
  return pools.map((pool) => pool.name).join(', ') || 'none';
}
