// Local LB: Reset Statistics: every pool's counters, or those of the tree row's pool.
import type { Services } from '../services';
import type { PoolTarget } from './pickPool';

export function resetStatistics({ balancer }: Pick<Services, 'balancer'>, target?: PoolTarget): void {
  if (target === undefined) {
    balancer.resetStatistics();
    return;
  }
  balancer.get(typeof target === 'string' ? target : target.pool).resetStatistics();
}
