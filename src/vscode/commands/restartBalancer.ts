// Local LB: Restart Balancer: every pool, or the one of the tree row: stop (Flask keeps running), then start.
import type { Services } from '../services';
import type { PoolTarget } from './pickPool';
import { startBalancer } from './startBalancer';
import { stopBalancer } from './stopBalancer';

export async function restartBalancer(parts: Pick<Services, 'balancer' | 'terminals' | 'log'>, target?: PoolTarget): Promise<boolean> {
  await stopBalancer(parts, target, { stopFlask: false });
  return startBalancer(parts, target);
}
