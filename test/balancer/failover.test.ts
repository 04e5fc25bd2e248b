import assert from 'node:assert/strict';
import type { LogEntry } from '../../src/balancer';
import {
  Cleanup,
  closedPort,
  delay,
  exchange,
  namedBackend,
  open,
  portOf,
  readAll,
  startBalancer,
  unresponsivePort,
  waitFor,
} from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('failover', function (dataPath) {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('a client whose backend refuses is served by the next backend without noticing', async () => {
    const refused = await closedPort();
    const live = await namedBackend(cleanup, 'live');
    const balancer = await startBalancer(cleanup, { dataPath,
      backends: [{ host: '127.0.0.1', port: refused }, { host: '127.0.0.1', port: live.port }],
      health: false,
    });
    for (let i = 0; i < 4; i++) assert.equal(await exchange(portOf(balancer), 'hi'), 'live:hi');
    const [dead] = balancer.snapshot().backends;
    // With checks off nothing marks it down, so the rotation lands on it first every time.
    assert.equal(dead.connectFailures, 4);
    assert.equal(dead.totalConnections, 0);
    assert.match(dead.lastError ?? '', /ECONNREFUSED/);
  });

  it('a refused connection marks the backend down at once, between active checks', async () => {
    const victim = await namedBackend(cleanup, 'victim');
    const live = await namedBackend(cleanup, 'live');
    const balancer = await startBalancer(cleanup, { dataPath,
      backends: [{ host: '127.0.0.1', port: victim.port }, { host: '127.0.0.1', port: live.port }],
      health: { intervalMs: 60_000 },
    });
    await waitFor('both backends up', () => balancer.snapshot().backends.every((backend) => backend.state === 'up'));
    await victim.close();
    const answers = [await exchange(portOf(balancer), '1'), await exchange(portOf(balancer), '2')];
    assert.deepEqual(answers, ['live:1', 'live:2']);
    const dead = balancer.snapshot().backends[0];
    assert.equal(dead.state, 'down');
    assert.equal(dead.connectFailures, 1, 'once down it was not tried again');
  });

  it('a backend that does not complete the connection within the connect timeout is skipped', async () => {
    const stuck = await unresponsivePort(cleanup);
    const live = await namedBackend(cleanup, 'live');
    const balancer = await startBalancer(cleanup, { dataPath,
      backends: [{ host: '127.0.0.1', port: stuck }, { host: '127.0.0.1', port: live.port }],
      connectTimeoutMs: 200,
      health: false,
    });
    const started = Date.now();
    assert.equal(await exchange(portOf(balancer), 'slow'), 'live:slow');
    assert.ok(Date.now() - started >= 190, 'the stuck backend was given its connect timeout');
    assert.match(balancer.snapshot().backends[0].lastError ?? '', /timed out after 200 ms/);
  });

  it('a client that aborts while its backend is connecting counts no failure against that backend', async () => {
    const stuck = await unresponsivePort(cleanup);
    const balancer = await startBalancer(cleanup, { dataPath,
      backends: [{ host: '127.0.0.1', port: stuck }],
      connectTimeoutMs: 200,
      health: { intervalMs: 60_000, timeoutMs: 60_000 },
    });
    const client = await open(portOf(balancer));
    await waitFor('the client accepted, its backend being connected', () => balancer.snapshot().frontend.activeConnections === 1);
    const attemptStarted = Date.now();
    client.resetAndDestroy();
    await waitFor('the client gone', () => balancer.snapshot().frontend.activeConnections === 0);
    // Had the attempt gone on, its connect timeout would have failed it by now.
    await delay(attemptStarted + 200 + 100 - Date.now());
    const [backend] = balancer.snapshot().backends;
    assert.deepEqual([backend.connectFailures, backend.state], [0, 'unknown']);
  });

  it('when every backend refuses, the client is closed cleanly with no data', async () => {
    const balancer = await startBalancer(cleanup, { dataPath,
      backends: [{ host: '127.0.0.1', port: await closedPort() }, { host: '127.0.0.1', port: await closedPort() }],
      health: false,
    });
    const socket = await open(portOf(balancer));
    const reply = await readAll(socket.end('GET / HTTP/1.0\r\n\r\n'));
    assert.deepEqual({ bytes: reply.data.length, ended: reply.ended, error: reply.error?.code }, { bytes: 0, ended: true, error: undefined });
    assert.equal(balancer.snapshot().frontend.rejectedConnections, 1);
  });

  it('"no backend available" is logged once for a burst of refused clients', async () => {
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: await closedPort() }], health: false });
    const lines: LogEntry[] = [];
    balancer.on('log', (entry) => lines.push(entry));
    for (let i = 0; i < 5; i++) await exchange(portOf(balancer), 'x');
    const warnings = lines.filter((entry) => /No backend available/.test(entry.message));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].level, 'warn');
    assert.match(warnings[0].message, /all 1 backend\(s\) tried failed to connect/);
    assert.equal(balancer.snapshot().frontend.rejectedConnections, 5);
  });

  it('rejected clients are counted by reason: no backend could take them, or the connection limit', async () => {
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: await closedPort() }], maxConnections: 1, health: false });
    assert.equal(await exchange(portOf(balancer), 'nobody takes this'), '');
    await waitFor('the first client gone', () => balancer.snapshot().frontend.activeConnections === 0);
    // A refused client counts as open until it closes its side (or the balancer's linger ends): it fills the limit.
    const lingering = await open(portOf(balancer));
    cleanup.add(() => lingering.destroy());
    await waitFor('the second client refused', () => balancer.snapshot().frontend.rejectedBy.noBackend === 2);
    assert.equal(await exchange(portOf(balancer), 'over the limit'), '');
    const { frontend } = balancer.snapshot();
    assert.deepEqual([frontend.rejectedBy, frontend.rejectedConnections], [{ noBackend: 2, limit: 1, descriptors: 0 }, 3]);
  });

  it('with no backends configured, clients are closed cleanly and the reason is logged', async () => {
    const balancer = await startBalancer(cleanup, { dataPath, backends: [], health: false });
    const lines: string[] = [];
    balancer.on('log', (entry) => lines.push(entry.message));
    assert.equal(await exchange(portOf(balancer), 'x'), '');
    assert.ok(lines.some((line) => /No backend available .*no backends configured/.test(line)), lines.join('\n'));
  });
});
