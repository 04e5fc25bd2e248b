// limit_data: `bytes` bytes pass, then the connection closes.
import type { ConnectionFaultType, Piece } from '../faultType';

export const limitData: ConnectionFaultType = {
  on: 'connection',
  attributes: { bytes: { unit: 'bytes', min: 0 } },
  describe: (a) => `limit ${a.bytes} bytes`,
  shape: (pieces, a, memory, stage) => {
    let left = memory.left ?? a.bytes;
    const out: Piece[] = [];
    for (const piece of pieces) {
      if (left <= 0) break;
      const chunk = piece.chunk.length > left ? piece.chunk.subarray(0, left) : piece.chunk;
      left -= chunk.length;
      out.push({ chunk, due: piece.due });
    }
    memory.left = left;
    if (left <= 0) stage.closeAfterQueued();
    return out;
  },
};
