// Local LB: Restart Balancer: stop (Flask keeps running), then start.
import type { Services } from '../services';
import { startBalancer } from './startBalancer';
import { stopBalancer } from './stopBalancer';

export async function restartBalancer(parts: Pick<Services, 'balancer' | 'terminals' | 'log'>): Promise<boolean> {
  await stopBalancer(parts, { stopFlask: false });
  return startBalancer(parts);
}
