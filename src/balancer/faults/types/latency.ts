// latency: each piece of the bytes is held for the latency, ± a random jitter, keeping their order.
import { delayInOrder, type ConnectionFaultType } from '../faultType';

export const latency: ConnectionFaultType = {
  on: 'connection',
  attributes: { latency: { unit: 'ms', min: 0 }, jitter: { unit: 'ms', min: 0, default: 0 } },
  describe: (a) => (a.jitter > 0 ? `latency ${a.latency} ± ${a.jitter} ms` : `latency ${a.latency} ms`),
  shape: (pieces, a, memory) => delayInOrder(pieces, memory, () => a.latency + (a.jitter > 0 ? (Math.random() * 2 - 1) * a.jitter : 0)),
};
