// One direction through its faults, on a fake clock: what passes, when, and what the stage does to the connection.
import assert from 'node:assert/strict';
import { validateFault, type Fault, type FaultSpec } from '../../src/balancer';
import { Deadlines } from '../../src/balancer/deadlines';
import { FaultStage, type StageOutput } from '../../src/balancer/faults/faultStage';
import { FakeClock } from '../support/fakeClock';

/** What a stage sent out, and when, in ms after it was made. */
class Recorder implements StageOutput {
  readonly started: number;
  readonly chunks: Array<{ at: number; data: Buffer }> = [];
  events: string[] = [];
  constructor(private readonly clock: FakeClock) {
    this.started = clock.now();
  }
  private get at(): number {
    return this.clock.now() - this.started;
  }
  write(chunk: Buffer): void {
    this.chunks.push({ at: this.at, data: Buffer.from(chunk) });
  }
  end(): void {
    this.events.push(`end@${this.at}`);
  }
  pauseSource(): void {
    this.events.push('pause');
  }
  resumeSource(): void {
    this.events.push('resume');
  }
  reset(): void {
    this.events.push(`reset@${this.at}`);
  }
  close(): void {
    this.events.push(`close@${this.at}`);
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks.map((chunk) => chunk.data));
  }
  get kinds(): string[] {
    return this.events.map((event) => event.replace(/@\d+(\.\d+)?$/, ''));
  }
}

function stage(...specs: FaultSpec[]): { stage: FaultStage; out: Recorder; faults: Fault[]; clock: FakeClock } {
  const clock = new FakeClock();
  const out = new Recorder(clock);
  const faults = specs.map((spec) => validateFault(spec));
  return { stage: new FaultStage([...faults], out, new Deadlines(clock)), out, faults, clock };
}

const bytes = (count: number): Buffer => Buffer.from(Array.from({ length: count }, (_, i) => i % 251));

describe('faults: one direction through its faults', () => {
  it('latency delays each chunk by its latency ± jitter and keeps their order', () => {
    const { stage: s, out, clock } = stage({ type: 'latency', attributes: { latency: 100, jitter: 90 } });
    for (let i = 0; i < 20; i++) s.push(Buffer.from([i]));
    assert.equal(out.chunks.length, 0, 'nothing passes at once');
    clock.advance(9);
    assert.equal(out.chunks.length, 0, 'nothing before latency − jitter');
    clock.advance(181);
    assert.deepEqual([...out.bytes], Array.from({ length: 20 }, (_, i) => i));
  });

  it('latency without jitter holds a chunk for exactly its latency', () => {
    const { stage: s, out, clock } = stage({ type: 'latency', attributes: { latency: 150 } });
    s.push(bytes(10));
    clock.advance(149);
    assert.equal(out.chunks.length, 0);
    clock.advance(1);
    assert.deepEqual(out.chunks.map((chunk) => chunk.at), [150]);
  });

  it('bandwidth paces 50 KB at 100 KB/s over half a second, bytes intact', () => {
    const { stage: s, out, clock } = stage({ type: 'bandwidth', attributes: { rate: 100 } });
    const data = bytes(50_000);
    s.push(data);
    s.end();
    clock.advance(250);
    assert.equal(out.bytes.length, 20_000, 'a tenth of a second\'s worth leaves each tenth of a second');
    clock.advance(250);
    assert.deepEqual(out.events, ['end@500']);
    assert.ok(out.bytes.equals(data));
  });

  it('slicer cuts into pieces of average ± variation, each its delay after the one before, bytes intact', () => {
    const { stage: s, out, clock } = stage({ type: 'slicer', attributes: { average_size: 100, size_variation: 20, delay: 1000 } });
    const data = bytes(10_000);
    s.push(data);
    clock.advance(1000);
    assert.ok(out.bytes.equals(data));
    const sizes = out.chunks.slice(0, -1).map((chunk) => chunk.data.length);
    assert.ok(sizes.every((size) => size >= 80 && size <= 120), `sizes ${Math.min(...sizes)}–${Math.max(...sizes)}`);
    assert.deepEqual(out.chunks.slice(0, 3).map((chunk) => chunk.at), [0, 1, 2], 'a slice each millisecond');
  });

  it('limit_data passes exactly its bytes, then closes the connection', () => {
    const { stage: s, out } = stage({ type: 'limit_data', attributes: { bytes: 1000 } });
    s.push(bytes(600));
    s.push(bytes(600));
    s.push(bytes(600));
    assert.equal(out.bytes.length, 1000);
    assert.deepEqual(out.kinds, ['close']);
  });

  it('timeout lets nothing through and closes the connection when due', () => {
    const { stage: s, out, clock } = stage({ type: 'timeout', attributes: { timeout: 100 } });
    s.push(bytes(10));
    s.end();
    clock.advance(99);
    assert.deepEqual(out.kinds, []);
    clock.advance(1);
    assert.deepEqual([out.bytes.length, out.events], [0, ['close@100']]);
  });

  it('timeout 0 holds the connection until lifted; then bytes and the end flow again', () => {
    const { stage: s, out, faults, clock } = stage({ type: 'timeout', attributes: { timeout: 0 } });
    s.push(bytes(10));
    s.end();
    clock.advance(60_000);
    assert.deepEqual([out.bytes.length, out.kinds], [0, []]);
    s.lift(faults[0]);
    assert.deepEqual(out.kinds, ['end']);
  });

  it('reset_peer resets the connection its timeout after the first data, passing data until then', () => {
    const { stage: s, out, clock } = stage({ type: 'reset_peer', attributes: { timeout: 100 } });
    clock.advance(150);
    assert.deepEqual(out.kinds, [], 'no data yet: no reset');
    s.push(bytes(10));
    assert.equal(out.bytes.length, 10);
    clock.advance(100);
    assert.deepEqual(out.events, ['reset@250']);
  });

  it('reset_peer with timeout 0 resets at the first data, which does not pass', () => {
    const { stage: s, out } = stage({ type: 'reset_peer' });
    s.push(bytes(10));
    assert.deepEqual([out.bytes.length, out.kinds], [0, ['reset']]);
  });

  it('a timeout and a reset_peer each keep their own cut-off: the earlier comes', () => {
    const { stage: s, out, clock } = stage({ type: 'timeout', attributes: { timeout: 300 } }, { type: 'reset_peer', attributes: { timeout: 100 } });
    s.push(bytes(10));
    clock.advance(1000);
    assert.deepEqual(out.events, ['reset@100']);
  });

  it('lifting one of two faults that cut the connection lifts its cut-off only', () => {
    const { stage: s, out, faults, clock } = stage({ type: 'timeout', attributes: { timeout: 300 } }, { type: 'reset_peer', attributes: { timeout: 100 } });
    s.push(bytes(10));
    s.lift(faults[1]);
    clock.advance(299);
    assert.deepEqual(out.events, [], 'no reset: it was lifted');
    clock.advance(1);
    assert.deepEqual(out.events, ['close@300'], 'the timeout still closes');
  });

  it('slow_close passes the end its delay late, after the bytes', () => {
    const { stage: s, out, clock } = stage({ type: 'slow_close', attributes: { delay: 150 } });
    s.push(bytes(10));
    s.end();
    assert.equal(out.bytes.length, 10);
    clock.advance(149);
    assert.deepEqual(out.kinds, []);
    clock.advance(1);
    assert.deepEqual(out.events, ['end@150']);
  });

  it('a lifted latency lets what it held go at once', () => {
    const { stage: s, out, faults } = stage({ type: 'latency', attributes: { latency: 60_000 } });
    s.push(bytes(10));
    s.end();
    s.lift(faults[0]);
    assert.deepEqual([out.bytes.length, out.kinds], [10, ['end']]);
  });

  it('a delayed direction stops its source above 64 KiB held, and reads it again once drained', () => {
    const { stage: s, out, clock } = stage({ type: 'latency', attributes: { latency: 50 } });
    for (let i = 0; i < 5; i++) s.push(bytes(16 * 1024));
    assert.deepEqual(out.kinds, ['pause']);
    clock.advance(50);
    assert.deepEqual(out.kinds, ['pause', 'resume']);
    assert.equal(out.bytes.length, 5 * 16 * 1024);
  });

  it('disposed with the connection, a stage sends nothing more, a reset due included', () => {
    const { stage: s, out, clock } = stage({ type: 'latency', attributes: { latency: 50 } }, { type: 'reset_peer', attributes: { timeout: 100 } });
    s.push(bytes(10));
    s.dispose();
    clock.advance(1000);
    assert.deepEqual([out.bytes.length, out.kinds], [0, []]);
  });
});
