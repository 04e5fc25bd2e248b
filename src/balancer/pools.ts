// Several named pools in one balancer: each a LoadBalancer of its own (frontend, backends, faults,
// statistics), added, removed, started and stopped alone, so that what happens in one pool never
// touches another; a failure is named with its pool.
import { ConflictError, errorCode, NotFoundError, type ErrorCode } from './errors';
import { LoadBalancer, type StopOptions } from './loadBalancer';
import type { PoolDefinition } from './poolConfig';
import type { Address } from './types';

/** How a start of one pool went: where it listens, or why it does not (the engine's message, which the caller names with the pool), with the error's code. */
export type PoolStart = { name: string; address: Address } | { name: string; error: string; code?: ErrorCode };

export class Pools {
  private readonly pools = new Map<string, LoadBalancer>();

  /** In the order they were added. */
  get names(): string[] {
    return [...this.pools.keys()];
  }

  /** The pool named `name`; a `NotFoundError` listing the pools when there is none. */
  get(name: string): LoadBalancer {
    const pool = this.pools.get(name);
    if (!pool) throw new NotFoundError(`Unknown pool ${JSON.stringify(name)}: the pools are ${this.names.join(', ') || 'none'}.`);
    return pool;
  }

  /** Adds a pool, stopped; a name taken is a `ConflictError`. */
  add({ name, options }: PoolDefinition): LoadBalancer {
    if (this.pools.has(name)) throw new ConflictError(`There is a pool named "${name}" already.`);
    const pool = new LoadBalancer(options);
    this.pools.set(name, pool);
    return pool;
  }

  /** Stops a pool (its connections closed at once) and forgets it. */
  async remove(name: string): Promise<void> {
    const pool = this.get(name);
    this.pools.delete(name);
    await pool.stop();
    pool.removeAllListeners();
  }

  /** Starts every pool that is not running, each on its own: one that cannot listen leaves the others serving. */
  async startAll(): Promise<PoolStart[]> {
    return Promise.all(
      [...this.pools].filter(([, pool]) => !pool.running).map(async ([name, pool]): Promise<PoolStart> => {
        try {
          return { name, address: await pool.start() };
        } catch (error) {
          const code = errorCode(error);
          return { name, error: error instanceof Error ? error.message : String(error), ...(code ? { code } : {}) };
        }
      }),
    );
  }

  /** Stops every pool, each draining for up to `drainMs`. */
  async stopAll(options: StopOptions = {}): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.stop(options)));
  }
}
