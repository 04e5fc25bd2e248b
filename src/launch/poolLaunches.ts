// A pool's `launch` field, in the `--config` file and the setting `localLb.pools`, read here and
// not by the engine: the pools' entries are handed on without it, each launch kept by pool name.
import { ConfigError } from '../balancer';
import { parseLaunchSpec, type LaunchSpec } from './launchSpec';

/**
 * `entries` (a pools list) without their `launch` fields, and each pool's launch by its name. A bad
 * launch is an error naming its pool, in `errors`; the pool itself still runs.
 */
export function separateLaunches(entries: unknown, defaults: Partial<LaunchSpec> = {}): { pools: unknown; launches: Map<string, LaunchSpec>; errors: ConfigError[] } {
  const launches = new Map<string, LaunchSpec>();
  const errors: ConfigError[] = [];
  if (!Array.isArray(entries)) return { pools: entries, launches, errors };
  const pools = entries.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null || !('launch' in entry)) return entry;
    const { launch, ...pool } = entry as Record<string, unknown>;
    const name = typeof pool.name === 'string' ? pool.name : '';
    try {
      launches.set(name, parseLaunchSpec(launch, `pool "${name}": launch`, defaults));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
    return pool;
  });
  return { pools, launches, errors };
}
