// slow_close: the direction's end goes `delay` ms after its last bytes.
import type { ConnectionFaultType } from '../faultType';

export const slowClose: ConnectionFaultType = {
  on: 'connection',
  attributes: { delay: { unit: 'ms', min: 0 } },
  describe: (a) => `slow close ${a.delay} ms`,
  endDelay: (a) => a.delay,
};
