// Local LB: Reset Statistics: every pool's counters, or those of the tree row's pool.
import { t } from '../l10n';
import type { Services } from '../services';
import { pickPool, type PoolTarget } from './pickPool';

export async function resetStatistics(parts: Pick<Services, 'balancer'>, target?: PoolTarget): Promise<void> {
  if (target === undefined) {
    parts.balancer.resetStatistics();
    return;
  }
  (await pickPool(parts, target, t('Reset the statistics of which pool?')))?.resetStatistics();
}
