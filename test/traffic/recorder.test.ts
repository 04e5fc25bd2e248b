// The traffic record on a fake clock, without sockets: the seconds' ring, the histograms and their
// percentiles, the states band, and the bounded ring of recent entries.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Backend } from '../../src/balancer/backend';
import { TrafficRecorder } from '../../src/balancer/traffic/trafficRecorder';
import { LatencyStats, percentiles } from '../../src/balancer/statistics/histogram';
import { addRecords, sliceRecord } from '../../src/balancer/traffic/trafficRecords';
import { toUpdate, type BalancerEvents, type ConnectionClosedInfo, type Mode, type TrafficRecord } from '../../src/balancer';

const T0 = 1_700_000_000_000;

/** A recorder over two backends, on a clock the test moves. */
function recorderAt(start = T0, mode: Mode = 'http') {
  let now = start;
  const events = new EventEmitter<BalancerEvents>();
  const backends = [new Backend({ host: '127.0.0.1', port: 8101 }), new Backend({ host: '127.0.0.1', port: 8102, name: 'two' })];
  const recorder = new TrafficRecorder(events, () => backends, () => mode, () => now);
  return {
    events,
    backends,
    recorder,
    /** Moves the clock on by `ms`. */
    later: (ms: number) => (now += ms),
  };
}

const closed = (n: number): ConnectionClosedInfo => ({
  id: n,
  client: `127.0.0.1:${40000 + n}`,
  backend: '127.0.0.1:8101',
  bytesSent: 10,
  bytesReceived: 20,
  durationMs: 5,
  outcome: 'answered',
});

describe('traffic record', () => {
  it('counts land in the second they happened; a read gives whole seconds only', () => {
    const { backends: [a, b], recorder, later } = recorderAt();
    recorder.sent(a);
    recorder.sent(a);
    later(1000);
    recorder.sent(b);
    later(1000);
    recorder.sent(a);
    const record = recorder.read();
    // The second under way (one request to a) is not given yet.
    assert.equal(record.to - record.from + 1, 300);
    assert.deepEqual(record.backends[0].counts.slice(-2), [2, 0]);
    assert.deepEqual(record.backends[1].counts.slice(-2), [0, 1]);
    assert.equal(record.to, Math.floor(T0 / 1000) + 1);
  });

  it('a read after a cursor gives only the seconds and entries that came since', () => {
    const { backends: [a], recorder, later, events } = recorderAt();
    const stop = recorder.watch();
    recorder.sent(a);
    events.emit('connectionClosed', closed(1));
    later(1000);
    const first = recorder.read();
    recorder.sent(a);
    recorder.sent(a);
    events.emit('connectionClosed', closed(2));
    later(2000);
    const next = recorder.read(first.cursor);
    assert.deepEqual([next.from, next.to], [first.to + 1, first.to + 2]);
    assert.deepEqual(next.backends[0].counts, [2, 0]);
    assert.deepEqual(next.entries.map((entry) => entry.client), ['127.0.0.1:40002']);
    assert.deepEqual(recorder.read(next.cursor).entries, []);
    stop();
  });

  it('seconds older than five minutes are forgotten, and a quiet spell reads as zeros', () => {
    const { backends: [a], recorder, later } = recorderAt();
    recorder.sent(a);
    later(200_000);
    recorder.sent(a);
    later(200_000);
    recorder.sent(a);
    later(1000);
    const counts = recorder.read().backends[0].counts;
    assert.equal(counts.length, 300);
    assert.equal(counts.reduce((sum, n) => sum + n, 0), 2, 'the first request, 401 s ago, is gone');
    assert.equal(counts[299], 1);
    assert.equal(counts[99], 1);
  });

  it('each second gets its own latency histogram: p50 and p99 per second', () => {
    const { backends: [a], recorder, later } = recorderAt();
    for (let i = 0; i < 98; i++) recorder.answered(a, 200, 2);
    recorder.answered(a, 200, 180);
    recorder.answered(a, 503, 180);
    later(1000);
    for (let i = 0; i < 10; i++) recorder.answered(a, 200, 40);
    later(1000);
    const series = toUpdate(recorder.read()).backends[0];
    const [first, second] = [series.p50.slice(-2), series.p99.slice(-2)];
    assert.ok(first[0]! > 1.5 && first[0]! <= 2, `p50 of the first second: ${first[0]}`);
    assert.ok(second[0]! > 150 && second[0]! <= 200, `p99 of the first second: ${second[0]}`);
    assert.ok(first[1]! > 30 && first[1]! <= 40, `p50 of the next: ${first[1]}`);
    assert.equal(series.p50[0], null, 'a second with no answer has no percentile');
    assert.deepEqual(series.failures.slice(-2), [1, 0], 'the 503 is a failure');
  });

  it('a second\'s percentiles stay within its fastest and slowest answers: one of 305 ms is p50 and p99 305 ms', () => {
    const { backends: [a], recorder, later } = recorderAt();
    recorder.answered(a, 200, 305);
    later(1000);
    const series = toUpdate(recorder.read()).backends[0];
    assert.deepEqual([series.p50.at(-1), series.p99.at(-1)], [305, 305], 'not 350, the middle of the 300–400 ms bucket');
    const stats = new LatencyStats();
    stats.record(305);
    assert.deepEqual(stats.snapshot(), { p50: 305, p95: 305, p99: 305 });
  });

  it('in TCP mode, each second has the times to connect as well as to the first byte; HTTP mode has none', () => {
    const { backends: [a], recorder, later } = recorderAt(T0, 'tcp');
    recorder.connected(a, 0.2);
    recorder.timed(a, 40);
    later(1000);
    recorder.connected(a, 1000);
    later(1000);
    const series = toUpdate(recorder.read()).backends[0];
    assert.deepEqual(series.connect?.p50.slice(-2), [0.2, 1000]);
    assert.deepEqual(series.p50.slice(-2), [40, null]);
    assert.equal(toUpdate(recorderAt(T0, 'http').recorder.read()).backends[0].connect, undefined);
  });

  it('percentiles from the histogram fall in the bucket of the known sample', () => {
    const stats = new LatencyStats();
    for (let ms = 1; ms <= 100; ms++) stats.record(ms);
    const { p50, p95, p99 } = stats.snapshot()!;
    // The 50th sample is 50 ms (bucket 40–50), the 95th 95 ms and the 99th 99 ms (bucket 75–100).
    assert.ok(p50 > 40 && p50 <= 50, `p50 ${p50}`);
    assert.ok(p95 > 75 && p95 <= 100 && p99 > p95 && p99 <= 100, `p95 ${p95}, p99 ${p99}`);
    assert.equal(percentiles([0, 0]), undefined);
  });

  it('the states band follows health, draining and faults, second by second', () => {
    const { backends: [a, b], recorder, later, events } = recorderAt();
    a.recordCheck({ ok: true, at: 0, latencyMs: 1 }, 1, 1);
    b.recordCheck({ ok: true, at: 0, latencyMs: 1 }, 1, 1);
    events.emit('stateChanged', { backend: a.id, from: 'unknown', to: 'up', reason: 'test' });
    later(1000);
    a.markDown('refused');
    b.faults.add({ name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } });
    events.emit('configChanged');
    later(1000);
    b.enabled = false;
    events.emit('configChanged');
    later(1000);
    const [one, two] = toUpdate(recorder.read()).backends;
    assert.deepEqual(one.states.slice(-3), ['up', 'down', 'down']);
    assert.deepEqual(two.states.slice(-3), ['up', 'faulty', 'disabled']);
    assert.equal(one.states[0], null, 'before the recorder existed, the backend was not there');
  });

  it('a backend down says why while it is: a copy\'s exit told to the balancer, then nothing once it is up again', () => {
    const { backends: [a], recorder, later } = recorderAt();
    a.recordCheck({ ok: true, at: 0, latencyMs: 1 }, 1, 1);
    a.applyHealth('down', 'web.1 exited with code 3');
    later(1000);
    assert.equal(toUpdate(recorder.read()).backends[0].down, 'web.1 exited with code 3');
    a.applyHealth('up', 'web.1 accepts connections again');
    later(1000);
    assert.equal(toUpdate(recorder.read()).backends[0].down, undefined);
  });

  it('a request fault makes the band faulty in HTTP mode only: in TCP mode it does nothing', () => {
    for (const [mode, state] of [['http', 'faulty'], ['tcp', 'up']] as const) {
      const { backends: [a], recorder, later, events } = recorderAt(T0, mode);
      a.recordCheck({ ok: true, at: 0, latencyMs: 1 }, 1, 1);
      a.faults.add({ name: 'errors', type: 'http_status', stream: 'downstream', toxicity: 1, attributes: { status: 503 } });
      events.emit('configChanged');
      later(1000);
      assert.equal(toUpdate(recorder.read()).backends[0].states.at(-1), state, mode);
    }
  });

  it('recent entries are kept only while someone watches, and at most 500', () => {
    const { recorder, events } = recorderAt();
    events.emit('connectionClosed', closed(0));
    assert.equal(events.listenerCount('connectionClosed'), 0, 'nobody watching: no connection event is even listened to');
    const stop = recorder.watch();
    for (let n = 1; n <= 600; n++) events.emit('connectionClosed', closed(n));
    const { entries, cursor } = recorder.read();
    assert.equal(entries.length, 500);
    assert.deepEqual([entries[0].seq, entries[499].seq, cursor.seq], [101, 600, 600]);
    assert.deepEqual(entries[499], { seq: 600, at: T0 - 5, client: '127.0.0.1:40600', backend: '127.0.0.1:8101', durationMs: 5, bytesIn: 10, bytesOut: 20, outcome: 'answered' });
    stop();
    assert.equal(events.listenerCount('connectionClosed'), 0);
  });

  it('refused clients and requests enter the table with their outcome', () => {
    const { recorder, events } = recorderAt();
    const stop = recorder.watch();
    events.emit('refused', { client: '127.0.0.1:1', reason: 'no backend' });
    events.emit('request', { client: '127.0.0.1:2', backend: '127.0.0.1:8102', method: 'POST', target: '/cart', status: 504, durationMs: 3, bytesIn: 100, bytesOut: 80, outcome: 'timed out' });
    const [refused, request] = recorder.read().entries;
    assert.deepEqual([refused.outcome, refused.backend], ['refused', undefined]);
    assert.deepEqual([request.method, request.path, request.status, request.outcome, request.bytesIn], ['POST', '/cart', 504, 'timed out', 100]);
    stop();
  });

  it('records of processes serving the same port add up', () => {
    const one = recorderAt();
    const two = recorderAt();
    one.recorder.answered(one.backends[0], 200, 2);
    one.recorder.sent(one.backends[0]);
    two.recorder.answered(two.backends[0], 200, 300);
    two.recorder.sent(two.backends[0]);
    two.recorder.sent(two.backends[0]);
    for (const { later } of [one, two]) later(1000);
    const sum = addRecords([one.recorder.read(), two.recorder.read()] as TrafficRecord[]);
    assert.equal(sum.backends[0].counts.at(-1), 3);
    const series = toUpdate({ ...sum, entries: [], cursor: { second: sum.to, seq: 0 } }).backends[0];
    assert.ok(series.p99.at(-1)! > 200, 'the slow answer of the second process is in the sum');
  });

  it('the times to connect of processes serving the same port add up, each second with its own', () => {
    const [one, two] = [recorderAt(T0, 'tcp'), recorderAt(T0, 'tcp')];
    one.recorder.connected(one.backends[0], 1);
    two.recorder.connected(two.backends[0], 3);
    for (const { later } of [one, two]) later(1000);
    two.recorder.connected(two.backends[0], 2000);
    for (const { later } of [one, two]) later(1000);
    const records = [one.recorder.read(), two.recorder.read()];
    // The admin endpoint takes the seconds both processes gave: the last two here.
    const lastTwo = records.map((record) => ({ ...record, from: record.to - 1, backends: record.backends.map((backend) => sliceRecord(backend, 298, 300)) }));
    const sum = addRecords(lastTwo);
    const { connect } = toUpdate({ ...sum, entries: [], cursor: { second: sum.to, seq: 0 } }).backends[0];
    assert.deepEqual(connect?.p50, [1, 2000], 'the second process\'s 2 s connect, alone in its second, is its p50');
    assert.ok(connect.p99[0]! > 2 && connect.p99[0]! <= 3, `p99 of 1 ms and 3 ms: ${connect.p99[0]}`);
  });

  it('100k connections recorded while watched leave the heap as it was', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { backends: [a], recorder, events, later } = recorderAt();
    const stop = recorder.watch();
    const info = closed(1);
    const run = (count: number): void => {
      for (let n = 0; n < count; n++) {
        recorder.sent(a);
        recorder.timed(a, n % 50);
        events.emit('connectionClosed', info);
        if (n % 1000 === 0) later(100);
      }
    };
    run(10_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    run(100_000);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    stop();
    assert.ok(grown < 256 * 1024, `the heap grew by ${grown} bytes`);
  });
});
