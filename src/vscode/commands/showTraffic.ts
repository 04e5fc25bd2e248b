// Local LB: Show Traffic.
import type { Services } from '../services';

export function showTraffic({ traffic }: Pick<Services, 'traffic'>): void {
  traffic.show();
}
