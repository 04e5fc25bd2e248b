// The traffic panel's model, without a browser: updates merged into 5 minutes of seconds, backends
// appearing and leaving, and the table's rows under filters, pause and clear.
import assert from 'node:assert/strict';
import type { BackendSeries, TrafficEntry, TrafficUpdate } from '../../src/balancer';
import { INITIAL_TABLE, stateChanges, TrafficModel } from '../../src/webview/traffic/trafficModel';

function series(id: string, counts: number[], states: BackendSeries['states'] = counts.map(() => 'up')): BackendSeries {
  return { id, label: `backend ${id}`, counts, failures: counts.map(() => 0), p50: counts.map(() => 2), p99: counts.map(() => 9), states };
}

function entry(seq: number, backend: string, outcome: TrafficEntry['outcome'] = 'answered'): TrafficEntry {
  return { seq, at: seq * 1000, client: `127.0.0.1:${seq}`, backend, durationMs: 1, bytesIn: 1, bytesOut: 2, outcome };
}

function update(from: number, backends: BackendSeries[], entries: TrafficEntry[] = []): TrafficUpdate {
  const to = from + (backends[0]?.counts.length ?? 0) - 1;
  return { mode: 'http', from, to, backends, entries, cursor: { second: to, seq: entries.at(-1)?.seq ?? 0 } };
}

describe('the traffic panel\'s model', () => {
  it('appends new seconds to each backend and adds up the total', () => {
    const model = new TrafficModel();
    model.apply(update(100, [series('a', [1, 2]), series('b', [0, 3])]), true);
    model.apply(update(102, [series('a', [4]), series('b', [1])]), false);
    assert.deepEqual(model.seconds, [100, 101, 102]);
    assert.deepEqual(model.lines.get('a')?.counts, [1, 2, 4]);
    assert.deepEqual(model.totals(), [1, 5, 5]);
  });

  it('keeps 300 seconds: older ones leave as new ones come', () => {
    const model = new TrafficModel();
    model.apply(update(0, [series('a', Array(300).fill(1))]), true);
    model.apply(update(300, [series('a', [7, 8])]), false);
    assert.equal(model.seconds.length, 300);
    assert.deepEqual([model.seconds[0], model.seconds.at(-1)], [2, 301]);
    assert.deepEqual(model.lines.get('a')?.counts.slice(-2), [7, 8]);
  });

  it('a backend added later has nothing before its first second; one removed keeps its past', () => {
    const model = new TrafficModel();
    model.apply(update(10, [series('a', [1, 1])]), true);
    model.apply(update(12, [series('a', [1]), series('b', [5])]), false);
    assert.deepEqual(model.lines.get('b')?.counts, [null, null, 5]);
    model.apply(update(13, [series('b', [2])]), false);
    assert.deepEqual(model.lines.get('a')?.counts, [1, 1, 1, null]);
  });

  it('keeps the times to connect of TCP mode with their seconds, and drops them as the seconds leave', () => {
    const model = new TrafficModel();
    const tcp = (from: number, p50: number[]): TrafficUpdate => ({ ...update(from, [{ ...series('a', p50.map(() => 1)), connect: { p50, p99: p50 } }]), mode: 'tcp' });
    model.apply(tcp(0, Array(300).fill(0.1)), true);
    model.apply(tcp(300, [1000]), false);
    assert.deepEqual([model.lines.get('a')?.connect.p50.length, model.lines.get('a')?.connect.p50.at(-1)], [300, 1000]);
    model.apply(update(301, [series('a', [1])]), false);
    assert.equal(model.lines.get('a')?.connect.p50.at(-1), null, 'HTTP mode times no connection');
  });

  it('a full update replaces what was held', () => {
    const model = new TrafficModel();
    model.apply(update(10, [series('a', [1])], [entry(1, 'a')]), true);
    model.apply(update(50, [series('c', [3])]), true);
    assert.deepEqual([[...model.lines.keys()], model.seconds, model.entries.length], [['c'], [50], 0]);
  });

  it('the table shows the newest first, filtered by backend and outcome', () => {
    const model = new TrafficModel();
    model.apply(update(1, [series('a', [1]), series('b', [1])], [entry(1, 'a'), entry(2, 'b', 'reset'), entry(3, 'a', 'reset')]), true);
    assert.deepEqual(model.rows(INITIAL_TABLE).map((row) => row.seq), [3, 2, 1]);
    assert.deepEqual(model.rows({ ...INITIAL_TABLE, backend: 'a' }).map((row) => row.seq), [3, 1]);
    assert.deepEqual(model.rows({ ...INITIAL_TABLE, outcome: 'reset', backend: 'a' }).map((row) => row.seq), [3]);
  });

  it('with every pool shown, the table is filtered by pool too', () => {
    const model = new TrafficModel();
    const inPool = (seq: number, pool: string): TrafficEntry => ({ ...entry(seq, `${pool}/a`), pool });
    model.apply(update(1, [series('web/a', [1]), series('api/a', [1])], [inPool(1, 'web'), inPool(2, 'api'), inPool(3, 'web')]), true);
    assert.deepEqual(model.rows({ ...INITIAL_TABLE, pool: 'web' }).map((row) => row.seq), [3, 1]);
    assert.deepEqual(model.rows({ ...INITIAL_TABLE, pool: 'api' }).map((row) => row.seq), [2]);
    assert.deepEqual(model.rows(INITIAL_TABLE).map((row) => row.seq), [3, 2, 1]);
  });

  it('paused, the table keeps its rows while entries come; cleared, it shows only what came after', () => {
    const model = new TrafficModel();
    model.apply(update(1, [series('a', [1])], [entry(1, 'a'), entry(2, 'a')]), true);
    const paused = { ...INITIAL_TABLE, paused: true, pausedSeq: 2 };
    model.apply(update(2, [series('a', [1])], [entry(3, 'a')]), false);
    assert.deepEqual(model.rows(paused).map((row) => row.seq), [2, 1]);
    assert.deepEqual(model.rows({ ...INITIAL_TABLE, clearedSeq: 2 }).map((row) => row.seq), [3]);
  });

  it('keeps the last 500 entries', () => {
    const model = new TrafficModel();
    model.apply(update(1, [series('a', [1])], Array.from({ length: 700 }, (_, i) => entry(i + 1, 'a'))), true);
    assert.deepEqual([model.entries.length, model.entries[0].seq, model.lastSeq], [500, 201, 700]);
  });

  it('tells the states band as text: each backend\'s changes with their times', () => {
    const model = new TrafficModel();
    model.apply(update(60, [series('a', [1, 1, 1], ['up', 'down', 'up']), series('b', [0, 0, 0], [null, 'faulty', 'faulty'])]), true);
    assert.deepEqual(stateChanges(model, (second) => `t${second}`), ['backend a: up at t60', 'backend a: down at t61', 'backend a: up at t62', 'backend b: faulty at t61']);
  });

  it('tells why a backend is down with its last change, while it is', () => {
    const model = new TrafficModel();
    model.apply(update(60, [{ ...series('a', [1, 1], ['up', 'down']), down: 'web.1 exited with code 3' }]), true);
    assert.deepEqual(stateChanges(model, (second) => `t${second}`), ['backend a: up at t60', 'backend a: down at t61 (web.1 exited with code 3)']);
    model.apply(update(62, [series('a', [1], ['up'])]), false);
    assert.deepEqual(stateChanges(model, (second) => `t${second}`).at(-1), 'backend a: up at t62');
  });
});
