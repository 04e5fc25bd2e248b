import assert from 'node:assert/strict';
import { mergeSnapshots, type BackendSnapshot, type BalancerSnapshot } from '../../src/balancer';
import { backendSnapshot as backend, frontendSnapshot } from '../support/snapshots';

function snapshot(total: number, backends: BackendSnapshot[]): BalancerSnapshot {
  return {
    frontend: frontendSnapshot({
      activeConnections: 1,
      totalConnections: total,
      rejectedConnections: 3,
      rejectedBy: { noBackend: 1, limit: 2, descriptors: 0 },
      bytesIn: 10,
      bytesOut: 20,
    }),
    backends,
  };
}

describe('statistics of several processes', () => {
  it('frontend and backend counters add up, and shares follow the sums', () => {
    const main = snapshot(3, [backend(8101, { totalConnections: 3, bytesSent: 30 }), backend(8102, {})]);
    const worker = snapshot(5, [backend(8101, { totalConnections: 1, bytesSent: 5 }), backend(8102, { totalConnections: 4, activeConnections: 2, connectFailures: 1 })]);
    const merged = mergeSnapshots(main, [worker]);
    assert.deepEqual(
      [merged.frontend.totalConnections, merged.frontend.activeConnections, merged.frontend.rejectedConnections, merged.frontend.bytesIn, merged.frontend.bytesOut],
      [8, 2, 6, 20, 40],
    );
    assert.deepEqual(merged.frontend.rejectedBy, { noBackend: 2, limit: 4, descriptors: 0 });
    assert.deepEqual(main.frontend.rejectedBy, { noBackend: 1, limit: 2, descriptors: 0 }, 'the main snapshot is left as it was');
    assert.deepEqual(
      merged.backends.map((b) => [b.totalConnections, b.activeConnections, b.bytesSent, b.connectFailures, b.sharePercent]),
      [
        [4, 0, 35, 0, 50],
        [4, 2, 0, 1, 50],
      ],
    );
  });

  it('states and checks are the main process\'s, which runs the checks', () => {
    const main = snapshot(0, [backend(8101, { state: 'down', health: 'down', lastError: 'refused' })]);
    const worker = snapshot(0, [backend(8101, { state: 'up', health: 'up', lastError: 'reset' })]);
    const [merged] = mergeSnapshots(main, [worker]).backends;
    assert.deepEqual([merged.state, merged.health, merged.lastError], ['down', 'down', 'refused']);
  });

  it('a backend only a worker still knows is left out; one only the main process knows keeps its own counts', () => {
    const main = snapshot(1, [backend(8102, { totalConnections: 1 })]);
    const worker = snapshot(2, [backend(8101, { totalConnections: 2 })]);
    const merged = mergeSnapshots(main, [worker]);
    assert.deepEqual(merged.backends.map((b) => [b.id, b.totalConnections, b.sharePercent]), [['127.0.0.1:8102', 1, 100]]);
  });

  it('the inputs are left as they were', () => {
    const main = snapshot(1, [backend(8101, { totalConnections: 1 })]);
    mergeSnapshots(main, [snapshot(1, [backend(8101, { totalConnections: 1 })])]);
    assert.equal(main.backends[0].totalConnections, 1);
    assert.equal(main.frontend.totalConnections, 1);
  });

  it('in HTTP mode, requests add up, shares follow requests, and percentiles come from the summed histograms', () => {
    const requests = (total: number, bucket: number) => {
      const counts = new Array<number>(33).fill(0);
      counts[bucket] = total;
      return { total, active: 0, answers: { '1xx': 0, '2xx': total, '3xx': 0, '4xx': 0, '5xx': 0 }, histogram: { counts, sumMs: 0 } };
    };
    const main = snapshot(1, [backend(8101, { totalConnections: 1, requests: requests(30, 1) }), backend(8102, { totalConnections: 1, requests: requests(10, 1) })]);
    const worker = snapshot(1, [backend(8101, { totalConnections: 1, requests: requests(0, 1) }), backend(8102, { totalConnections: 1, requests: requests(60, 10) })]);
    const merged = mergeSnapshots(main, [worker]);
    assert.deepEqual(merged.backends.map((b) => [b.requests?.total, b.sharePercent]), [[30, 30], [70, 70]]);
    // 8102: 10 answers within 1 ms, 60 between 15 and 20 ms: the median is in the slow bucket.
    const times = merged.backends[1].requests?.responseMs;
    assert.ok(times && times.p50 > 15 && times.p50 <= 20 && times.p99 <= 20, JSON.stringify(times));
  });

  it('in TCP mode, times to connect and to the first byte come from the summed histograms', () => {
    const times = (count: number, bucket: number, ms: number) => {
      const counts = new Array<number>(33).fill(0);
      counts[bucket] = count;
      return { counts, sumMs: count * ms, fastestMs: ms, slowestMs: ms };
    };
    const main = snapshot(10, [backend(8101, { totalConnections: 10, connectHistogram: times(10, 1, 1), firstByteHistogram: times(10, 10, 18) })]);
    const worker = snapshot(60, [backend(8101, { totalConnections: 60, connectHistogram: times(60, 1, 1), firstByteHistogram: times(60, 16, 150) })]);
    const [merged] = mergeSnapshots(main, [worker]).backends;
    assert.deepEqual([merged.connectHistogram?.counts[1], merged.connectHistogram?.sumMs, merged.connectMs?.p99], [70, 70, 1]);
    // 10 first bytes after 18 ms, 60 after 150 ms: the median is in the worker's bucket, 100–150 ms.
    assert.deepEqual([merged.firstByteHistogram?.fastestMs, merged.firstByteHistogram?.slowestMs], [18, 150]);
    const p50 = merged.firstByteMs?.p50 ?? 0;
    assert.ok(p50 > 100 && p50 <= 150, `p50 ${p50}`);
  });
});
