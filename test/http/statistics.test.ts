// HTTP mode counts requests: per backend (total, answers by class, time to the answer's head) and
// at the frontend, with shares of requests rather than connections.
import assert from 'node:assert/strict';
import { Cleanup, closedPort, HOST, listen, portOf, startBalancer } from '../support/net';
import { fetchFrom, httpBackend, keepAliveClient } from '../support/httpServers';

describe('HTTP mode: statistics', function () {
  this.timeout(20_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('requests over one kept-alive connection are counted per backend, with their answers by class and shares of requests', async () => {
    const statusFor = (url: string | undefined): number => (url === '/missing' ? 404 : url === '/broken' ? 500 : 200);
    const backends = [
      await httpBackend(cleanup, 'a', (req, res) => res.writeHead(statusFor(req.url)).end()),
      await httpBackend(cleanup, 'b', (req, res) => res.writeHead(statusFor(req.url)).end()),
    ];
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: backends.map(({ port }) => ({ host: HOST, port })), health: false });
    const agent = keepAliveClient(cleanup);
    for (const path of ['/', '/', '/missing', '/', '/broken', '/']) await fetchFrom(portOf(balancer), { agent, path });
    const { frontend, backends: [a, b] } = balancer.snapshot();
    assert.equal(frontend.mode, 'http');
    assert.equal(frontend.totalConnections, 1);
    assert.equal(frontend.requests?.total, 6);
    assert.deepEqual(frontend.requests?.answers, { '1xx': 0, '2xx': 4, '3xx': 0, '4xx': 1, '5xx': 1 });
    // In turn: a got /, /missing and /broken; b got / three times.
    assert.deepEqual(a.requests?.answers, { '1xx': 0, '2xx': 1, '3xx': 0, '4xx': 1, '5xx': 1 });
    assert.deepEqual(b.requests?.answers, { '1xx': 0, '2xx': 3, '3xx': 0, '4xx': 0, '5xx': 0 });
    assert.deepEqual([a.requests?.total, b.requests?.total, a.sharePercent, b.sharePercent], [3, 3, 50, 50]);
    assert.equal(a.totalConnections, 1, 'one connection carried all of a\'s requests');
    const times = a.requests?.responseMs;
    assert.ok(times && times.p50 > 0 && times.p50 <= times.p95 && times.p95 <= times.p99, JSON.stringify(times));
    assert.equal(a.requests?.histogram.counts.reduce((sum, count) => sum + count, 0), 3);
  });

  it('the balancer\'s own answers count at the frontend; a 502 no backend could be connected for counts at none', async () => {
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: [{ host: HOST, port: await closedPort() }], health: false });
    assert.equal((await fetchFrom(portOf(balancer))).status, 502);
    const { frontend, backends } = balancer.snapshot();
    assert.deepEqual([frontend.requests?.total, frontend.requests?.answers['5xx']], [1, 1]);
    assert.deepEqual([backends[0].requests?.total, backends[0].requests?.answers['5xx'], backends[0].connectFailures], [0, 0, 1]);
  });

  it('a backend that closes without answering gets the 502 counted as its own', async () => {
    const mute = await listen(cleanup, (socket) => socket.once('data', () => socket.destroy()));
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: [{ host: HOST, port: mute.port }], health: false });
    assert.equal((await fetchFrom(portOf(balancer), { method: 'POST', body: 'x' })).status, 502);
    const { frontend, backends } = balancer.snapshot();
    assert.deepEqual([backends[0].requests?.total, backends[0].requests?.answers['5xx'], backends[0].requests?.active], [1, 1, 0]);
    assert.equal(frontend.requests?.answers['5xx'], 1);
  });

  it('resetting statistics zeroes the request counts', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: [{ host: HOST, port: backend.port }], health: false });
    await fetchFrom(portOf(balancer));
    balancer.resetStatistics();
    const { frontend, backends } = balancer.snapshot();
    assert.deepEqual([frontend.requests?.total, backends[0].requests?.total, backends[0].requests?.responseMs], [0, 0, undefined]);
  });

  it('TCP mode has no request counts', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { backends: [{ host: HOST, port: backend.port }], health: false });
    await fetchFrom(portOf(balancer));
    const { frontend, backends } = balancer.snapshot();
    assert.deepEqual([frontend.mode, frontend.requests, backends[0].requests], ['tcp', undefined, undefined]);
  });
});
