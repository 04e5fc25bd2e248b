// http_status: the balancer answers the request with `status` for the backend.
import type { RequestFaultType } from '../faultType';

export const httpStatus: RequestFaultType = {
  on: 'request',
  attributes: { status: { unit: 'status', min: 200, max: 599, default: 503 } },
  describe: (a) => `answers ${a.status}`,
};
