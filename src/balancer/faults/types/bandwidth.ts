// bandwidth: the bytes leave at most `rate` KB a second, in pieces of a tenth of a second's worth.
import { split, type ConnectionFaultType } from '../faultType';

export const bandwidth: ConnectionFaultType = {
  on: 'connection',
  attributes: { rate: { unit: 'KB/s', min: 1 } },
  describe: (a) => `bandwidth ${a.rate} KB/s`,
  shape: (pieces, a, memory) => {
    const bytesPerMs = a.rate; // KB/s = bytes/ms
    const size = Math.max(1, Math.floor(bytesPerMs * 100));
    // Each piece leaves once the one before it had its time.
    let free = memory.last ?? 0;
    const out = split(pieces, () => size);
    for (const piece of out) {
      free = Math.max(free, piece.due) + piece.chunk.length / bytesPerMs;
      piece.due = free;
    }
    memory.last = free;
    return out;
  },
};
