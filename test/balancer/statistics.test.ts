import assert from 'node:assert/strict';
import type { ConnectionClosedInfo, ConnectionInfo } from '../../src/balancer';
import { Cleanup, closedPort, echoBackend, exchange, namedBackend, open, portOf, readAll, startBalancer, waitFor } from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('statistics and events', function (dataPath) {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('the snapshot counts active and total connections and each backend\'s share', async () => {
    const [a, b] = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b')];
    const balancer = await startBalancer(cleanup, { dataPath,
      backends: [{ host: '127.0.0.1', port: a.port }, { host: '127.0.0.1', port: b.port }],
      health: false,
    });
    for (let i = 0; i < 3; i++) await exchange(portOf(balancer));
    const held = await open(portOf(balancer)); // the 4th: on b
    cleanup.add(() => held.destroy());
    await waitFor('held on b', () => b.sockets.size === 1);
    const { frontend, backends } = balancer.snapshot();
    assert.deepEqual(
      { active: frontend.activeConnections, total: frontend.totalConnections, listening: frontend.listening },
      { active: 1, total: 4, listening: true },
    );
    assert.deepEqual(
      backends.map((backend) => [backend.activeConnections, backend.totalConnections, backend.sharePercent]),
      [
        [0, 2, 50],
        [1, 2, 50],
      ],
    );
  });

  it('bytes are counted per backend both ways, including connections still open', async () => {
    const backend = await echoBackend(cleanup, (chunk) => Buffer.concat([chunk, chunk]));
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
    const client = await open(portOf(balancer));
    const reply = readAll(client);
    client.write('12345');
    await waitFor('the echo', () => balancer.snapshot().backends[0].bytesReceived === 10);
    assert.equal(balancer.snapshot().backends[0].bytesSent, 5);
    client.end();
    await reply;
    await waitFor('closed', () => balancer.snapshot().frontend.activeConnections === 0);
    const { frontend, backends } = balancer.snapshot();
    assert.deepEqual([backends[0].bytesSent, backends[0].bytesReceived, frontend.bytesIn, frontend.bytesOut], [5, 10, 5, 10]);
  });

  it('reset sets every counter to zero; open connections stay counted and count on from zero', async () => {
    const refused = await closedPort();
    const echo = await echoBackend(cleanup);
    const balancer = await startBalancer(cleanup, { dataPath,
      backends: [{ host: '127.0.0.1', port: refused }, { host: '127.0.0.1', port: echo.port }],
      maxConnections: 1,
      health: false,
    });
    assert.equal(await exchange(portOf(balancer), 'some bytes'), 'some bytes', 'served after a failed attempt at the refusing backend');
    await waitFor('the first connection closed', () => balancer.snapshot().frontend.activeConnections === 0);
    const live = await open(portOf(balancer));
    cleanup.add(() => live.destroy());
    live.write('live');
    await waitFor('the live echo', () => balancer.snapshot().backends[1].bytesReceived === 14);
    assert.equal(await exchange(portOf(balancer), 'over the limit'), '');
    const before = balancer.snapshot();
    assert.deepEqual([before.frontend.rejectedConnections, before.backends[0].connectFailures > 0, before.frontend.bytesIn], [1, true, 10]);

    balancer.resetStatistics();
    const { frontend, backends } = balancer.snapshot();
    assert.deepEqual(
      { active: frontend.activeConnections, total: frontend.totalConnections, rejected: frontend.rejectedConnections, rejectedBy: frontend.rejectedBy, bytesIn: frontend.bytesIn, bytesOut: frontend.bytesOut },
      { active: 1, total: 1, rejected: 0, rejectedBy: { noBackend: 0, limit: 0, descriptors: 0 }, bytesIn: 0, bytesOut: 0 },
    );
    assert.deepEqual(
      backends.map((b) => ({ total: b.totalConnections, active: b.activeConnections, share: b.sharePercent, sent: b.bytesSent, received: b.bytesReceived, failures: b.connectFailures, lastError: b.lastError })),
      [
        { total: 0, active: 0, share: 0, sent: 0, received: 0, failures: 0, lastError: undefined },
        { total: 1, active: 1, share: 100, sent: 0, received: 0, failures: 0, lastError: undefined },
      ],
    );
    live.write('more');
    await waitFor('the live connection counting from zero', () => balancer.snapshot().backends[1].bytesReceived === 4);
    assert.equal(balancer.snapshot().backends[1].bytesSent, 4);
  });

  it('opened and closed events describe each connection', async () => {
    const a = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: a.port }], health: false });
    const opened: ConnectionInfo[] = [];
    const closed: ConnectionClosedInfo[] = [];
    balancer.on('connectionOpened', (info) => opened.push(info));
    balancer.on('connectionClosed', (info) => closed.push(info));
    await exchange(portOf(balancer), 'hello');
    await waitFor('closed event', () => closed.length === 1);
    assert.equal(opened.length, 1);
    assert.match(opened[0].client, /^127\.0\.0\.1:\d+$/);
    assert.equal(opened[0].backend, `127.0.0.1:${a.port}`);
    assert.deepEqual(
      { id: closed[0].id, bytesSent: closed[0].bytesSent, bytesReceived: closed[0].bytesReceived, error: closed[0].error },
      { id: opened[0].id, bytesSent: 5, bytesReceived: 7, error: undefined },
    );
  });

  it('connectionsChanged tells of each opening and closing, without the details', async () => {
    const a = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: a.port }], health: false });
    let changes = 0;
    balancer.on('connectionsChanged', () => changes++);
    await exchange(portOf(balancer), 'hello');
    await waitFor('two changes', () => changes === 2);
  });
});
