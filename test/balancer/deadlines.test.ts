import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Deadlines } from '../../src/balancer/deadlines';
import { FakeClock } from '../support/fakeClock';

describe('deadlines', () => {
  const clocked = (): { clock: FakeClock; deadlines: Deadlines } => {
    const clock = new FakeClock();
    return { clock, deadlines: new Deadlines(clock) };
  };

  it('a deadline expires once its time has passed, not before', () => {
    const { clock, deadlines } = clocked();
    const started = clock.now();
    let expiredAt: number | undefined;
    deadlines.set(60, () => (expiredAt = clock.now() - started));
    clock.advance(59);
    assert.equal(expiredAt, undefined);
    clock.advance(1);
    assert.equal(expiredAt, 60);
  });

  it('a cancelled deadline never expires, and the others still do', () => {
    const { clock, deadlines } = clocked();
    const expired: string[] = [];
    const first = deadlines.set(20, () => expired.push('first'));
    deadlines.set(30, () => expired.push('second'));
    deadlines.cancel(first);
    clock.advance(100);
    assert.deepEqual(expired, ['second']);
  });

  it('deadlines expire in the order they fall due, also after a timeout is shortened', () => {
    const { clock, deadlines } = clocked();
    const expired: string[] = [];
    deadlines.set(90, () => expired.push(`long@${clock.now()}`));
    deadlines.set(30, () => expired.push(`short@${clock.now()}`));
    deadlines.set(60, () => expired.push(`middle@${clock.now()}`));
    clock.advance(150);
    assert.deepEqual(expired, ['short@1030', 'middle@1060', 'long@1090']);
  });

  it('a deadline may set another as it expires', () => {
    const { clock, deadlines } = clocked();
    const expired: string[] = [];
    deadlines.set(10, () => {
      expired.push('first');
      deadlines.set(10, () => expired.push(`next@${clock.now()}`));
    });
    clock.advance(80);
    assert.deepEqual(expired, ['first', 'next@1020']);
  });

  it('many deadlines share one timer of the clock', () => {
    const { clock, deadlines } = clocked();
    for (let i = 0; i < 100; i++) deadlines.set(50, () => undefined);
    assert.equal(clock.pending, 1);
  });

  it('pending deadlines do not keep the process alive', () => {
    const module = join(__dirname, '..', '..', 'src', 'balancer', 'deadlines.js');
    const started = Date.now();
    // Kept alive, the child would run until killed at 10 s (or exit 3 at 60 s): either throws here.
    execFileSync(process.execPath, ['-e', `new (require(${JSON.stringify(module)}).Deadlines)().set(60000, () => process.exit(3))`], { timeout: 10_000 });
    assert.ok(Date.now() - started < 10_000);
  });
});
