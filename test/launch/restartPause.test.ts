// `--restart`'s back-off: 1 s, doubling with each exit in a row to 30 s, and 1 s again once a copy had settled.
import assert from 'node:assert/strict';
import { restartPause } from '../../src/launch';

describe('--restart back-off', () => {
  it('doubles with each exit in a row, up to 30 s', () => {
    const copy = { failures: 0, startedAt: 0 };
    const pauses = Array.from({ length: 7 }, () => restartPause(copy, 100));
    assert.deepEqual(pauses, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('a copy that ran 30 s before it exited waits 1 s again', () => {
    const copy = { failures: 5, startedAt: 0 };
    assert.equal(restartPause(copy, 30_000), 1000);
    assert.equal(copy.failures, 1);
  });
});
