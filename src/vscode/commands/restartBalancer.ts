import type { Services } from '../services';
import { startBalancer } from './startBalancer';
import { stopBalancer } from './stopBalancer';

export async function restartBalancer(services: Services): Promise<boolean> {
  await stopBalancer(services, { stopFlask: false });
  return startBalancer(services);
}
