// Several traffic records read as one: pools side by side, processes added up; entries renumbered so
// that a reader's cursor works as on one record.
import assert from 'node:assert/strict';
import type { BackendRecord, TrafficEntry, TrafficRecord } from '../../src/balancer';
import { ADDED_UP, MergedRecords, SIDE_BY_SIDE } from '../../src/balancer/traffic/mergedRecords';

function backend(id: string, counts: number[]): BackendRecord {
  return { id, label: `:${id}`, counts, failures: counts.map(() => 0), states: counts.map(() => 2), latency: counts.map(() => []), fastest: counts.map(() => null), slowest: counts.map(() => null) };
}

function entry(seq: number, backendId: string, endsAt: number): TrafficEntry {
  return { seq, at: endsAt - 1, client: '127.0.0.1:1', backend: backendId, durationMs: 1, bytesIn: 1, bytesOut: 1, outcome: 'answered' };
}

function record(from: number, backends: BackendRecord[], entries: TrafficEntry[] = []): TrafficRecord {
  return { mode: 'http', from, to: from + backends[0].counts.length - 1, backends, entries, cursor: { second: from + backends[0].counts.length - 1, seq: entries.at(-1)?.seq ?? 0 } };
}

describe('merged traffic records', () => {
  it('pools side by side: each backend named with its pool, each entry marked with it, the entries renumbered in the order they ended', () => {
    const merged = new MergedRecords(SIDE_BY_SIDE);
    const result = merged.merge([
      { key: 'web', record: record(100, [backend('8101', [1, 2])], [entry(1, '8101', 5000), entry(2, '8101', 7000)]) },
      { key: 'api', record: record(100, [backend('9101', [3, 4])], [entry(1, '9101', 6000)]) },
    ]);
    assert.deepEqual(result.backends.map((b) => [b.id, b.label, b.counts]), [['web/8101', 'web :8101', [1, 2]], ['api/9101', 'api :9101', [3, 4]]]);
    assert.deepEqual(result.entries.map((e) => [e.seq, e.pool, e.backend]), [[1, 'web', 'web/8101'], [2, 'api', 'api/9101'], [3, 'web', 'web/8101']]);
    assert.deepEqual(result.cursor, { second: 101, seq: 3 });
  });

  it('reads each record from where it was left, and gives a reader what is new after its cursor', () => {
    const merged = new MergedRecords(SIDE_BY_SIDE);
    const first = merged.merge([{ key: 'web', record: record(100, [backend('8101', [1])], [entry(1, '8101', 5000)]) }]);
    assert.deepEqual(merged.cursorOf('web', first.cursor), { second: 100, seq: 1 });
    const next = merged.merge([{ key: 'web', record: record(101, [backend('8101', [2])], [entry(2, '8101', 6000)]) }], first.cursor);
    assert.deepEqual(next.entries.map((e) => e.seq), [2]);
    assert.deepEqual(merged.merge([], undefined).entries.map((e) => e.seq), [1, 2], 'a reader starting over gets every entry kept');
  });

  it('only the seconds every record has: one read a second later waits for the others', () => {
    const merged = new MergedRecords(SIDE_BY_SIDE);
    const result = merged.merge([
      { key: 'web', record: record(100, [backend('8101', [1, 2, 3])]) },
      { key: 'api', record: record(100, [backend('9101', [4, 5])]) },
    ]);
    assert.deepEqual([result.from, result.to], [100, 101]);
    assert.deepEqual(result.backends.map((b) => b.counts), [[1, 2], [4, 5]]);
  });

  it('processes added up: the same backend\'s counts summed, its entries unmarked', () => {
    const merged = new MergedRecords(ADDED_UP);
    const result = merged.merge([
      { key: 'main', record: record(100, [backend('8101', [1, 2])], [entry(1, '8101', 5000)]) },
      { key: 'worker 1', record: record(100, [backend('8101', [3, 4])], [entry(1, '8101', 6000)]) },
    ]);
    assert.deepEqual(result.backends.map((b) => [b.id, b.counts]), [['8101', [4, 6]]]);
    assert.deepEqual(result.entries.map((e) => [e.seq, e.pool, e.backend]), [[1, undefined, '8101'], [2, undefined, '8101']]);
  });
});
