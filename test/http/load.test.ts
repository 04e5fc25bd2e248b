// HTTP mode under load and abuse: many kept-alive clients at once each get their own answers, and
// clients that vanish mid-request leave nothing open behind them.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Cleanup, HOST, portOf, startBalancer, waitFor } from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';
import { fetchFrom, httpBackend, keepAliveClient } from '../support/httpServers';

describeOnEachDataPath('HTTP mode: load', function (dataPath) {
  this.timeout(60_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('300 kept-alive clients sending 10 requests each at once get exactly their own answers', async () => {
    const backends = [await httpBackend(cleanup, 'a'), await httpBackend(cleanup, 'b')];
    const balancer = await startBalancer(cleanup, { dataPath, mode: 'http', backends: backends.map(({ port }) => ({ host: HOST, port })), health: false });
    const port = portOf(balancer);
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: 300 }, async (_, client) => {
        const agent = keepAliveClient(cleanup);
        for (let request = 0; request < 10; request++) {
          const { text } = await fetchFrom(port, { agent, path: `/${client}/${request}` });
          if (!text.endsWith(` GET /${client}/${request}`)) wrong.push(text);
        }
      }),
    );
    assert.deepEqual(wrong, []);
    const { frontend } = balancer.snapshot();
    assert.deepEqual([frontend.requests?.total, frontend.requests?.answers['2xx']], [3000, 3000]);
  });

  it('500 clients that reset in the middle of their request leave no connection or request open', async () => {
    const backend = await httpBackend(cleanup, 'slow', (req, res) => {
      req.resume();
      res.socket?.on('error', () => {});
      setTimeout(() => res.end('late'), 50);
    });
    const balancer = await startBalancer(cleanup, { dataPath, mode: 'http', backends: [{ host: HOST, port: backend.port }], health: false });
    const port = portOf(balancer);
    await Promise.all(
      Array.from(
        { length: 500 },
        (_, i) =>
          new Promise<void>((resolve) => {
            const socket = connect({ host: HOST, port }, () => {
              // Half of them in the body, half waiting for the answer.
              socket.write(i % 2 ? 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nsome' : 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
              setTimeout(() => socket.resetAndDestroy(), 10);
            });
            socket.on('error', () => {});
            socket.on('close', () => resolve());
          }),
      ),
    );
    await waitFor(
      'every connection and request closed',
      () => {
        const { frontend, backends } = balancer.snapshot();
        return frontend.activeConnections === 0 && frontend.requests?.active === 0 && backends[0].requests?.active === 0;
      },
      10_000,
    );
    // And the balancer still serves.
    assert.equal((await fetchFrom(port)).text, 'late');
  });
});
