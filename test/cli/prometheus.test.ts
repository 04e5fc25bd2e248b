import assert from 'node:assert/strict';
import { formatMetrics } from '../../src/cli/prometheus';
import { backendSnapshot, frontendSnapshot } from '../support/snapshots';

describe('Prometheus text', () => {
  it('an IPv6 frontend is labelled with its address in brackets', () => {
    const text = formatMetrics({ frontend: frontendSnapshot({ host: '::1', port: 8080, totalConnections: 3 }), backends: [] });
    assert.match(text, /^local_lb_frontend_connections_total\{frontend="\[::1\]:8080"\} 3$/m);
  });

  it('rejected clients are counted by reason, each reason on its own line', () => {
    const frontend = frontendSnapshot({ rejectedConnections: 6, rejectedBy: { noBackend: 1, limit: 2, descriptors: 3 } });
    const lines = formatMetrics({ frontend, backends: [backendSnapshot(8101)] })
      .split('\n')
      .filter((line) => line.startsWith('local_lb_frontend_connections_rejected_total'));
    assert.deepEqual(lines, [
      'local_lb_frontend_connections_rejected_total{frontend="127.0.0.1:8080",reason="no_backend"} 1',
      'local_lb_frontend_connections_rejected_total{frontend="127.0.0.1:8080",reason="connection_limit"} 2',
      'local_lb_frontend_connections_rejected_total{frontend="127.0.0.1:8080",reason="out_of_descriptors"} 3',
    ]);
  });

  it('the data path serving is named while the frontend listens', () => {
    const text = formatMetrics({ frontend: frontendSnapshot({ dataPath: 'handles' }), backends: [] });
    assert.match(text, /^local_lb_frontend_data_path_info\{frontend="127\.0\.0\.1:8080",data_path="handles"\} 1$/m);
    assert.doesNotMatch(formatMetrics({ frontend: frontendSnapshot({ listening: false }), backends: [] }), /data_path/);
  });
});
