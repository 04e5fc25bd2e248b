import assert from 'node:assert/strict';
import type { BalancerSnapshot } from '../../src/balancer';
import { formatMetrics as formatPools } from '../../src/cli/prometheus';
import { backendSnapshot, frontendSnapshot } from '../support/snapshots';

/** The text of one pool, `default`. */
const formatMetrics = (snapshot: BalancerSnapshot): string => formatPools([{ name: 'default', snapshot }]);

describe('Prometheus text', () => {
  it('an IPv6 frontend is labelled with its address in brackets', () => {
    const text = formatMetrics({ frontend: frontendSnapshot({ host: '::1', port: 8080, totalConnections: 3 }), backends: [] });
    assert.match(text, /^local_lb_frontend_connections_total\{pool="default",frontend="\[::1\]:8080"\} 3$/m);
  });

  it('rejected clients are counted by reason, each reason on its own line', () => {
    const frontend = frontendSnapshot({ rejectedConnections: 6, rejectedBy: { noBackend: 1, limit: 2, descriptors: 3 } });
    const lines = formatMetrics({ frontend, backends: [backendSnapshot(8101)] })
      .split('\n')
      .filter((line) => line.startsWith('local_lb_frontend_connections_rejected_total'));
    assert.deepEqual(lines, [
      'local_lb_frontend_connections_rejected_total{pool="default",frontend="127.0.0.1:8080",reason="no_backend"} 1',
      'local_lb_frontend_connections_rejected_total{pool="default",frontend="127.0.0.1:8080",reason="connection_limit"} 2',
      'local_lb_frontend_connections_rejected_total{pool="default",frontend="127.0.0.1:8080",reason="out_of_descriptors"} 3',
    ]);
  });

  it('the data path serving is named while the frontend listens', () => {
    const text = formatMetrics({ frontend: frontendSnapshot({ dataPath: 'handles' }), backends: [] });
    assert.match(text, /^local_lb_frontend_data_path_info\{pool="default",frontend="127\.0\.0\.1:8080",data_path="handles"\} 1$/m);
    assert.doesNotMatch(formatMetrics({ frontend: frontendSnapshot({ listening: false }), backends: [] }), /data_path/);
  });

  it('in HTTP mode, requests are counted by status class, and times to the answer form a histogram in seconds', () => {
    const counts = new Array<number>(33).fill(0);
    counts[0] = 2; // up to 0.5 ms
    counts[4] = 1; // 2 to 3 ms
    const requests = { total: 3, active: 0, answers: { '1xx': 0, '2xx': 2, '3xx': 0, '4xx': 0, '5xx': 1 }, histogram: { counts, sumMs: 3.5 } };
    const lines = formatMetrics({ frontend: frontendSnapshot({ mode: 'http', requests }), backends: [backendSnapshot(8101, { requests })] }).split('\n');
    assert.ok(lines.includes('local_lb_backend_requests_total{pool="default",backend="127.0.0.1:8101",code_class="2xx"} 2'));
    assert.ok(lines.includes('local_lb_backend_requests_total{pool="default",backend="127.0.0.1:8101",code_class="5xx"} 1'));
    assert.ok(lines.includes('local_lb_frontend_requests_total{pool="default",frontend="127.0.0.1:8080",code_class="2xx"} 2'));
    assert.ok(lines.includes('# TYPE local_lb_backend_response_seconds histogram'));
    assert.ok(lines.includes('local_lb_backend_response_seconds_bucket{pool="default",backend="127.0.0.1:8101",le="0.0005"} 2'));
    assert.ok(lines.includes('local_lb_backend_response_seconds_bucket{pool="default",backend="127.0.0.1:8101",le="0.002"} 2'));
    assert.ok(lines.includes('local_lb_backend_response_seconds_bucket{pool="default",backend="127.0.0.1:8101",le="0.003"} 3'));
    assert.ok(lines.includes('local_lb_backend_response_seconds_bucket{pool="default",backend="127.0.0.1:8101",le="+Inf"} 3'));
    assert.ok(lines.includes('local_lb_backend_response_seconds_sum{pool="default",backend="127.0.0.1:8101"} 0.0035'));
    assert.ok(lines.includes('local_lb_backend_response_seconds_count{pool="default",backend="127.0.0.1:8101"} 3'));
  });

  it('in TCP mode there are no request metrics', () => {
    assert.doesNotMatch(formatMetrics({ frontend: frontendSnapshot(), backends: [backendSnapshot(8101)] }), /requests|response_seconds/);
  });

  it('in TCP mode, times to connect and to the first byte form histograms in seconds', () => {
    const counts = new Array<number>(33).fill(0);
    counts[1] = 4; // 0.5 to 1 ms
    const lines = formatMetrics({ frontend: frontendSnapshot(), backends: [backendSnapshot(8101, { connectHistogram: { counts, sumMs: 3 }, firstByteHistogram: { counts, sumMs: 2 } })] }).split('\n');
    assert.ok(lines.includes('# TYPE local_lb_backend_connect_seconds histogram'));
    assert.ok(lines.includes('local_lb_backend_connect_seconds_bucket{pool="default",backend="127.0.0.1:8101",le="0.0005"} 0'));
    assert.ok(lines.includes('local_lb_backend_connect_seconds_bucket{pool="default",backend="127.0.0.1:8101",le="0.001"} 4'));
    assert.ok(lines.includes('local_lb_backend_connect_seconds_sum{pool="default",backend="127.0.0.1:8101"} 0.003'));
    assert.ok(lines.includes('local_lb_backend_first_byte_seconds_count{pool="default",backend="127.0.0.1:8101"} 4'));
    assert.ok(lines.includes('local_lb_backend_first_byte_seconds_sum{pool="default",backend="127.0.0.1:8101"} 0.002'));
  });

  it('with two pools, each metric is one family whose series carry their pool', () => {
    const text = formatPools([
      { name: 'web', snapshot: { frontend: frontendSnapshot({ port: 8080, totalConnections: 3 }), backends: [backendSnapshot(8101)] } },
      { name: 'api', snapshot: { frontend: frontendSnapshot({ port: 9090, totalConnections: 5 }), backends: [backendSnapshot(9101)] } },
    ]);
    const lines = text.split('\n');
    assert.deepEqual(lines.filter((line) => line.startsWith('local_lb_frontend_connections_total')), [
      'local_lb_frontend_connections_total{pool="web",frontend="127.0.0.1:8080"} 3',
      'local_lb_frontend_connections_total{pool="api",frontend="127.0.0.1:9090"} 5',
    ]);
    assert.equal(lines.filter((line) => line === '# TYPE local_lb_backend_up gauge').length, 1);
    assert.ok(lines.every((line) => line.startsWith('#') || line === '' || line.includes('{pool="')), 'every series has its pool');
  });
});
