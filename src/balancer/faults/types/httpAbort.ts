// http_abort: the request's client is reset, with no answer.
import type { RequestFaultType } from '../faultType';

export const httpAbort: RequestFaultType = {
  on: 'request',
  attributes: {},
  describe: () => 'aborts requests',
};
