// The run's own pools as toxiproxy's API shows them: proxies whose addresses and life stay where
// they are set (the settings, `--config`); `enabled` starts or stops one.
import { ConflictError, formatAddress, type LoadBalancer } from '../balancer';
import { toxicsOf } from './poolToxics';
import { enabledOf, type ProxyInput } from './proxyInput';
import type { ProxyJson, SharedPool } from './proxyShapes';

export function backendIds(balancer: LoadBalancer): string[] {
  return balancer.snapshot().backends.map((backend) => backend.id);
}

/** A pool of the run as a proxy: `upstream` its first backend, and all of them in `upstreams` when there are several. */
export function sharedJson({ name, balancer }: SharedPool): ProxyJson {
  const backends = backendIds(balancer);
  const { frontend } = balancer.snapshot();
  return {
    name,
    listen: formatAddress(balancer.address() ?? frontend),
    upstream: backends[0] ?? '',
    enabled: balancer.running,
    toxics: toxicsOf({ balancer, backends }),
    ...(backends.length > 1 ? { upstreams: backends } : {}),
  };
}

/** A pool of the run takes `enabled` (start, stop) through the API; its addresses are set where it is. */
export async function updateShared(pool: SharedPool, input: ProxyInput): Promise<ProxyJson> {
  const current = sharedJson(pool);
  const moved = (input.listen !== undefined && input.listen !== current.listen) || (input.upstream !== undefined && input.upstream !== current.upstream);
  if (moved) throw new ConflictError(`proxy ${JSON.stringify(pool.name)} is a pool of Local LB's own: change its listen and upstream where it is set (its settings, or --config)`);
  const enabled = enabledOf(input.enabled, current.enabled);
  if (enabled && !pool.balancer.running) await pool.balancer.start();
  if (!enabled) await pool.balancer.stop();
  return sharedJson(pool);
}
