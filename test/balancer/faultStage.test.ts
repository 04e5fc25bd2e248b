import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { validateFault, type Fault, type FaultSpec } from '../../src/balancer';
import { FaultStage, type StageOutput } from '../../src/balancer/faults/faultStage';
import { delay, waitFor } from '../support/net';

/** What a stage sent out, and when, in ms after it was made. */
class Recorder implements StageOutput {
  readonly started = performance.now();
  readonly chunks: Array<{ at: number; data: Buffer }> = [];
  events: string[] = [];
  write(chunk: Buffer): void {
    this.chunks.push({ at: performance.now() - this.started, data: Buffer.from(chunk) });
  }
  end(): void {
    this.events.push(`end@${Math.round(performance.now() - this.started)}`);
  }
  pauseSource(): void {
    this.events.push('pause');
  }
  resumeSource(): void {
    this.events.push('resume');
  }
  reset(): void {
    this.events.push('reset');
  }
  close(): void {
    this.events.push('close');
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks.map((chunk) => chunk.data));
  }
  get kinds(): string[] {
    return this.events.map((event) => event.replace(/@\d+$/, ''));
  }
}

function stage(...specs: FaultSpec[]): { stage: FaultStage; out: Recorder; faults: Fault[] } {
  const out = new Recorder();
  const faults = specs.map((spec) => validateFault(spec));
  return { stage: new FaultStage([...faults], out), out, faults };
}

const bytes = (count: number): Buffer => Buffer.from(Array.from({ length: count }, (_, i) => i % 251));

describe('faults: one direction through its faults', function () {
  this.timeout(10_000);

  it('latency delays each chunk by about its latency and keeps their order under jitter', async () => {
    const { stage: s, out } = stage({ type: 'latency', attributes: { latency: 100, jitter: 90 } });
    for (let i = 0; i < 20; i++) s.push(Buffer.from([i]));
    assert.equal(out.chunks.length, 0, 'nothing passes at once');
    await waitFor('every chunk through', () => out.chunks.length === 20);
    assert.deepEqual([...out.bytes], Array.from({ length: 20 }, (_, i) => i));
    assert.ok(out.chunks[0].at >= 9, `first chunk after ${out.chunks[0].at} ms`);
  });

  it('latency without jitter holds a chunk for its latency', async () => {
    const { stage: s, out } = stage({ type: 'latency', attributes: { latency: 150 } });
    s.push(bytes(10));
    await waitFor('the chunk through', () => out.chunks.length === 1);
    assert.ok(out.chunks[0].at >= 148 && out.chunks[0].at < 1000, `after ${out.chunks[0].at} ms`);
  });

  it('bandwidth paces 50 KB at 100 KB/s over about half a second, bytes intact', async () => {
    const { stage: s, out } = stage({ type: 'bandwidth', attributes: { rate: 100 } });
    const data = bytes(50_000);
    s.push(data);
    s.end();
    await waitFor('the end', () => out.kinds.includes('end'));
    const took = Number(/end@(\d+)/.exec(out.events.join(' '))?.[1]);
    assert.ok(took >= 400 && took <= 600, `took ${took} ms`);
    assert.ok(out.bytes.equals(data));
  });

  it('slicer cuts into pieces of average ± variation, bytes intact', async () => {
    const { stage: s, out } = stage({ type: 'slicer', attributes: { average_size: 100, size_variation: 20 } });
    const data = bytes(10_000);
    s.push(data);
    await waitFor('every byte through', () => out.bytes.length === data.length);
    assert.ok(out.bytes.equals(data));
    const sizes = out.chunks.slice(0, -1).map((chunk) => chunk.data.length);
    assert.ok(sizes.every((size) => size >= 80 && size <= 120), `sizes ${Math.min(...sizes)}–${Math.max(...sizes)}`);
  });

  it('limit_data passes exactly its bytes, then closes the connection', async () => {
    const { stage: s, out } = stage({ type: 'limit_data', attributes: { bytes: 1000 } });
    s.push(bytes(600));
    s.push(bytes(600));
    s.push(bytes(600));
    await waitFor('the close', () => out.kinds.includes('close'));
    assert.equal(out.bytes.length, 1000);
    assert.deepEqual(out.kinds, ['close']);
  });

  it('timeout lets nothing through and closes the connection when due', async () => {
    const { stage: s, out } = stage({ type: 'timeout', attributes: { timeout: 100 } });
    s.push(bytes(10));
    s.end();
    await waitFor('the close', () => out.kinds.includes('close'));
    assert.deepEqual([out.bytes.length, out.kinds], [0, ['close']]);
  });

  it('timeout 0 holds the connection until lifted; then bytes and the end flow again', async () => {
    const { stage: s, out, faults } = stage({ type: 'timeout', attributes: { timeout: 0 } });
    s.push(bytes(10));
    s.end();
    await delay(100);
    assert.deepEqual([out.bytes.length, out.kinds], [0, []]);
    s.lift(faults[0]);
    assert.deepEqual(out.kinds, ['end']);
  });

  it('reset_peer resets the connection its timeout after the first data, passing data until then', async () => {
    const { stage: s, out } = stage({ type: 'reset_peer', attributes: { timeout: 100 } });
    await delay(150);
    assert.deepEqual(out.kinds, [], 'no data yet: no reset');
    s.push(bytes(10));
    assert.equal(out.bytes.length, 10);
    await waitFor('the reset', () => out.kinds.includes('reset'));
  });

  it('reset_peer with timeout 0 resets at the first data, which does not pass', () => {
    const { stage: s, out } = stage({ type: 'reset_peer' });
    s.push(bytes(10));
    assert.deepEqual([out.bytes.length, out.kinds], [0, ['reset']]);
  });

  it('slow_close passes the end its delay late, after the bytes', async () => {
    const { stage: s, out } = stage({ type: 'slow_close', attributes: { delay: 150 } });
    s.push(bytes(10));
    s.end();
    assert.equal(out.bytes.length, 10);
    await waitFor('the end', () => out.kinds.includes('end'));
    const at = Number(/end@(\d+)/.exec(out.events.join(' '))?.[1]);
    assert.ok(at >= 148, `end after ${at} ms`);
  });

  it('a lifted latency lets what it held go at once', () => {
    const { stage: s, out, faults } = stage({ type: 'latency', attributes: { latency: 60_000 } });
    s.push(bytes(10));
    s.end();
    s.lift(faults[0]);
    assert.deepEqual([out.bytes.length, out.kinds], [10, ['end']]);
  });

  it('a delayed direction stops its source above 64 KiB held, and reads it again once drained', async () => {
    const { stage: s, out } = stage({ type: 'latency', attributes: { latency: 50 } });
    for (let i = 0; i < 5; i++) s.push(bytes(16 * 1024));
    assert.deepEqual(out.kinds, ['pause']);
    await waitFor('the source read again', () => out.kinds.includes('resume'));
    assert.equal(out.bytes.length, 5 * 16 * 1024);
  });

  it('disposed with the connection, a stage sends nothing more', async () => {
    const { stage: s, out } = stage({ type: 'latency', attributes: { latency: 50 } });
    s.push(bytes(10));
    s.dispose();
    await delay(100);
    assert.deepEqual([out.bytes.length, out.kinds], [0, []]);
  });
});
