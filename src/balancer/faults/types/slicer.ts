// slicer: the bytes are cut into slices of `average_size` ± `size_variation` bytes, each `delay` µs
// after the one before.
import { split, type ConnectionFaultType } from '../faultType';

export const slicer: ConnectionFaultType = {
  on: 'connection',
  attributes: {
    average_size: { unit: 'bytes', min: 1 },
    size_variation: { unit: 'bytes', min: 0, default: 0 },
    delay: { unit: 'µs', min: 0, default: 0 },
  },
  describe: (a) => `slicer ${a.average_size} ± ${a.size_variation} bytes`,
  shape: (pieces, a, memory) => {
    const sizes = (): number => Math.max(1, Math.round(a.average_size + (Math.random() * 2 - 1) * a.size_variation));
    const gap = a.delay / 1000;
    let last = memory.last ?? -Infinity;
    const slices = split(pieces, sizes);
    for (const slice of slices) {
      last = Math.max(slice.due, last + gap);
      slice.due = last;
    }
    memory.last = last;
    return slices;
  },
};
