import assert from 'node:assert/strict';
import { LoadBalancer, type ConnectionClosedInfo } from '../../src/balancer';
import { Cleanup, delay, exchange, listen, namedBackend, open, portOf, readAll, startBalancer, waitFor } from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('lifecycle', function (dataPath) {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('port 0 listens on a free port and reports it', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { dataPath, port: 0, backends: [{ host: '127.0.0.1', port: backend.port }] });
    assert.ok(portOf(balancer) > 0);
    assert.equal(balancer.snapshot().frontend.port, portOf(balancer));
    assert.equal(await exchange(portOf(balancer), 'hi'), 'a:hi');
  });

  it('listens on 127.0.0.1 unless told otherwise', async () => {
    const balancer = await startBalancer(cleanup, { dataPath, backends: [] });
    assert.equal(balancer.address()?.host, '127.0.0.1');
  });

  it('a port in use is refused with an error naming the port, and nothing is left running', async () => {
    const taken = await listen(cleanup, () => {});
    const balancer = new LoadBalancer({ dataPath, port: taken.port, backends: [{ host: '127.0.0.1', port: 9 }], health: { intervalMs: 10 } });
    await assert.rejects(balancer.start(), { code: 'LLB_PORT_IN_USE', message: `Port ${taken.port} is already in use (127.0.0.1:${taken.port}).` });
    assert.equal(balancer.running, false);
    await delay(50);
    assert.equal(balancer.snapshot().backends[0].lastCheck, undefined, 'no health checker was started');
  });

  it('a stop asked for while starting stops the balancer once started, leaving nothing listening', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const balancer = new LoadBalancer({ dataPath, port: 0, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
    const started = balancer.start();
    await balancer.stop();
    const { port } = await started;
    assert.equal(balancer.running, false);
    await assert.rejects(exchange(port, 'late'), { code: 'ECONNREFUSED' });
  });

  it('stop lets an open connection finish within the drain time, then resolves', async () => {
    const backend = await listen(cleanup, (socket) => {
      socket.resume();
      socket.on('end', () => setTimeout(() => socket.end('slow answer'), 300));
    });
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
    const client = await open(portOf(balancer));
    const reply = readAll(client);
    client.end('question');
    await waitFor('the connection to reach the backend', () => backend.accepted === 1);
    await balancer.stop({ drainMs: 5000 });
    assert.equal((await reply).data.toString(), 'slow answer');
    assert.equal(balancer.snapshot().frontend.activeConnections, 0);
  });

  /** A client connection held open through a backend that reads and never answers. */
  async function heldConnection() {
    const backend = await listen(cleanup, (socket) => socket.resume());
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
    const client = await open(portOf(balancer));
    const reply = readAll(client);
    await waitFor('the connection to reach the backend', () => backend.accepted === 1);
    return { backend, balancer, client, reply };
  }

  it('stop refuses new connections at once while draining', async () => {
    const { balancer, client } = await heldConnection();
    const port = portOf(balancer);
    const stopped = balancer.stop({ drainMs: 5000 });
    await assert.rejects(open(port), { code: 'ECONNREFUSED' });
    client.resetAndDestroy();
    await stopped;
  });

  it('stop aborts connections still open when the drain time is over', async () => {
    const { backend, balancer, reply } = await heldConnection();
    const started = Date.now();
    await balancer.stop({ drainMs: 200 });
    assert.ok(Date.now() - started >= 190, 'it waited for the drain time');
    assert.equal((await reply).ended, false, 'the client learns it was cut off');
    await waitFor('the backend side to close', () => backend.sockets.size === 0);
  });

  it('a second stop without drain time ends a drain at once', async () => {
    const { balancer, reply } = await heldConnection();
    const started = Date.now();
    const first = balancer.stop({ drainMs: 60_000 });
    await delay(50);
    await balancer.stop({ drainMs: 0 });
    await first;
    assert.ok(Date.now() - started < 5000);
    assert.equal((await reply).ended, false, 'the client learns it was cut off');
  });

  it('the same port can be listened on again right after stop', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
    const port = portOf(balancer);
    await exchange(port, 'before');
    await balancer.stop();
    const again = await startBalancer(cleanup, { dataPath, port, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
    assert.equal(await exchange(portOf(again), 'after'), 'a:after');
  });

  it('a stopped balancer can be started again, with its counters kept', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
    await exchange(portOf(balancer));
    await balancer.stop();
    assert.equal(balancer.running, false);
    await balancer.start();
    await exchange(portOf(balancer));
    assert.equal(balancer.snapshot().backends[0].totalConnections, 2);
  });

  it('stop stops health checks', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: { intervalMs: 20 } });
    await waitFor('a first check', () => backend.accepted > 0);
    await balancer.stop();
    const checks = backend.accepted;
    await delay(100);
    assert.equal(backend.accepted, checks);
  });

  it('the idle timeout closes a connection with no traffic either way', async () => {
    const backend = await listen(cleanup, (socket) => socket.resume());
    const balancer = await startBalancer(cleanup, { dataPath,
      backends: [{ host: '127.0.0.1', port: backend.port }],
      idleTimeoutMs: 150,
      health: false,
    });
    const closed: ConnectionClosedInfo[] = [];
    balancer.on('connectionClosed', (info) => closed.push(info));
    const client = await open(portOf(balancer));
    const reply = readAll(client);
    // Traffic keeps it alive past the timeout…
    for (let i = 0; i < 4; i++) {
      client.write('ping');
      await delay(75);
    }
    assert.equal(client.destroyed, false);
    // …silence ends it.
    await reply;
    await waitFor('the backend side to close', () => backend.sockets.size === 0);
    await waitFor('the closed event', () => closed.length === 1);
    assert.equal(closed[0].error, 'idle for 150 ms');
    assert.equal(balancer.snapshot().backends[0].lastError, undefined, 'an idle client is no fault of the backend');
  });
});
