// reset_peer: the connection is reset `timeout` ms after the direction's first bytes (0: at them,
// and they do not pass).
import type { ConnectionFaultType } from '../faultType';

export const resetPeer: ConnectionFaultType = {
  on: 'connection',
  attributes: { timeout: { unit: 'ms', min: 0, default: 0 } },
  describe: (a) => (a.timeout > 0 ? `reset after ${a.timeout} ms` : 'reset'),
  firstData: (a, stage) => {
    if (a.timeout > 0) {
      stage.cutOffIn(a.timeout, 'reset');
      return false;
    }
    stage.reset();
    return true;
  },
};
