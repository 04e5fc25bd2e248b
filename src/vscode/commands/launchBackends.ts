// Local LB: Launch Backends (and Launch Flask Backends, its old name): copies of the app for each
// backend on this machine of a pool, as the pool's launch setting says, or as the user chooses.
import { DEFAULT_HOST, formatAddress } from '../../balancer';
import type { LaunchSpec } from '../../launch';
import { t } from '../l10n';
import { configuredLaunch, freeBackendPorts, launchOnPorts, mayLaunch, type LaunchParts } from '../launching';
import type { PoolService } from '../poolService';
import { backendEntries, writeBackendEntries } from '../vsCodeSettings';
import { chooseLaunch } from './chooseLaunch';
import { launchFromProcfile } from './launchFromProcfile';
import { pickPool, type PoolTarget } from './pickPool';

/**
 * Launches the backends of the pool of `target`, or of the pool chosen (`ask`), or of every pool
 * (the old Launch Flask Backends, which launches Flask where no launch is set). A pool with no
 * launch set asks what to launch (`ask`), offering what the workspace suggests.
 */
export async function launchBackends(parts: LaunchParts, target?: PoolTarget, ask = true): Promise<number[]> {
  if (!mayLaunch(parts.log)) return [];
  const pools = target === undefined && !ask ? parts.balancer.settingsPools : [await pickPool(parts, target, t('Launch the backends of which pool?'))];
  const launched: number[] = [];
  for (const pool of pools) {
    if (!pool) continue;
    const spec = configuredLaunch(parts.balancer.settings, pool.name, parts.sampleFlaskApp, !ask) ?? (await chooseLaunch(parts, pool.name));
    if (spec === 'procfile') return launchFromProcfile(parts, pool.name);
    if (spec) launched.push(...(await launchPool(parts, pool, spec)));
  }
  return launched;
}

/** Launches `spec` on the pool's backends on this machine; with none, on the first free ports from its base port, added to the pool's settings. */
async function launchPool(parts: LaunchParts, pool: PoolService, spec: LaunchSpec): Promise<number[]> {
  const backends = pool.snapshot().backends;
  const elsewhere = backends.filter((backend) => backend.host !== DEFAULT_HOST);
  if (elsewhere.length > 0) parts.log.info(t('Not launching {0}: only backends on {1} run here.', elsewhere.map((b) => formatAddress(b)).join(', '), DEFAULT_HOST));
  let ports = backends.filter((backend) => backend.host === DEFAULT_HOST).map((backend) => backend.port);
  if (ports.length === 0) {
    ports = await freeBackendPorts(parts, spec);
    await writeBackendEntries([...backendEntries(pool.name), ...ports], pool.name);
    parts.log.info(t('Added backends {0} to pool {1}.', ports.join(', '), pool.name));
  }
  return launchOnPorts(parts, pool.name, spec, ports);
}
