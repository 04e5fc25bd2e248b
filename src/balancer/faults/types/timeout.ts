// timeout: nothing passes, the end is held, and the connection closes after `timeout` ms (0: never).
import type { ConnectionFaultType } from '../faultType';

export const timeout: ConnectionFaultType = {
  on: 'connection',
  attributes: { timeout: { unit: 'ms', min: 0 } },
  describe: (a) => (a.timeout > 0 ? `timeout after ${a.timeout} ms` : 'timeout (never answers)'),
  start: (a, stage) => {
    if (a.timeout > 0) stage.cutOffIn(a.timeout, 'close');
  },
  shape: () => [],
  endDelay: () => Infinity,
};
