// The lines that describe a connection or a request, in the CLI's output and VS Code's log.
import assert from 'node:assert/strict';
import { requestLine, type RequestInfo } from '../../src/balancer';

const ended = { bytesIn: 0, bytesOut: 0, outcome: 'answered' } satisfies Partial<RequestInfo>;

describe('log lines', () => {
  it('a request names its method, target, client, backend, status and time', () => {
    assert.equal(
      requestLine({ method: 'GET', target: '/cart', client: '127.0.0.1:53122', backend: '127.0.0.1:8101', status: 200, durationMs: 2.6, ...ended }),
      'GET /cart from 127.0.0.1:53122 to 127.0.0.1:8101: 200 in 3 ms',
    );
  });

  it('a request no backend took, or one cut off, says so; a long target is shortened', () => {
    assert.equal(requestLine({ method: 'POST', target: '/', client: '[::1]:4000', status: 502, durationMs: 1, ...ended }), 'POST / from [::1]:4000 answered by Local LB: 502 in 1 ms');
    const line = requestLine({ method: 'GET', target: `/${'x'.repeat(200)}`, client: '127.0.0.1:1', backend: '127.0.0.1:8101', durationMs: 40, ...ended });
    assert.match(line, /^GET \/x{79}… from .*: cut off in 40 ms$/);
  });

  it('a request whose head could not be read is "A request"', () => {
    assert.equal(requestLine({ method: '', target: '', client: '127.0.0.1:5', status: 400, durationMs: 0, ...ended, outcome: 'refused' }), 'A request from 127.0.0.1:5 answered by Local LB: 400 in 0 ms');
  });
});
