import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Deadlines } from '../../src/balancer/deadlines';
import { delay } from '../support/net';

describe('deadlines', () => {
  it('a deadline expires once its time has passed, not before', async () => {
    const deadlines = new Deadlines();
    const started = performance.now();
    let expiredAfter: number | undefined;
    deadlines.set(60, () => (expiredAfter = performance.now() - started));
    await delay(30);
    assert.equal(expiredAfter, undefined);
    await delay(80);
    assert.ok(expiredAfter !== undefined && expiredAfter >= 59, `expired after ${expiredAfter} ms`);
  });

  it('a cancelled deadline never expires, and the others still do', async () => {
    const deadlines = new Deadlines();
    const expired: string[] = [];
    const first = deadlines.set(20, () => expired.push('first'));
    deadlines.set(30, () => expired.push('second'));
    deadlines.cancel(first);
    await delay(80);
    assert.deepEqual(expired, ['second']);
  });

  it('deadlines expire in the order they fall due, also after a timeout is shortened', async () => {
    const deadlines = new Deadlines();
    const expired: string[] = [];
    deadlines.set(90, () => expired.push('long'));
    deadlines.set(30, () => expired.push('short'));
    deadlines.set(60, () => expired.push('middle'));
    await delay(150);
    assert.deepEqual(expired, ['short', 'middle', 'long']);
  });

  it('a deadline may set another as it expires', async () => {
    const deadlines = new Deadlines();
    const expired: string[] = [];
    deadlines.set(10, () => {
      expired.push('first');
      deadlines.set(10, () => expired.push('next'));
    });
    await delay(80);
    assert.deepEqual(expired, ['first', 'next']);
  });

  it('pending deadlines do not keep the process alive', () => {
    const module = join(__dirname, '..', '..', 'src', 'balancer', 'deadlines.js');
    const started = Date.now();
    // Kept alive, the child would run until killed at 10 s (or exit 3 at 60 s): either throws here.
    execFileSync(process.execPath, ['-e', `new (require(${JSON.stringify(module)}).Deadlines)().set(60000, () => process.exit(3))`], { timeout: 10_000 });
    assert.ok(Date.now() - started < 10_000);
  });
});
