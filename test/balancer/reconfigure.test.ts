import assert from 'node:assert/strict';
import type { HealthChange } from '../../src/balancer';
import { Cleanup, echoBackend, exchange, namedBackend, open, portOf, readAll, startBalancer, waitFor } from '../support/net';

describe('live reconfiguration', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('an added backend takes its share of new connections at once', async () => {
    const a = await namedBackend(cleanup, 'a');
    const b = await namedBackend(cleanup, 'b');
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: a.port }], health: false });
    balancer.addBackend({ host: '127.0.0.1', port: b.port, name: 'bee' });
    const answers = [await exchange(portOf(balancer)), await exchange(portOf(balancer))];
    assert.deepEqual(answers.sort(), ['a:', 'b:']);
    assert.equal(balancer.snapshot().backends[1].name, 'bee');
  });

  it('adding a backend that is already there is refused, naming it', async () => {
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: 8101 }], health: false });
    assert.throws(() => balancer.addBackend({ host: 'localhost', port: 8101 }), {
      code: 'LLB_CONFLICT',
      message: 'Duplicate backend 127.0.0.1:8101: each backend may be given once.',
    });
  });

  it('a removed backend gets no new connections while its open ones finish undisturbed', async () => {
    const a = await echoBackend(cleanup);
    const b = await namedBackend(cleanup, 'b');
    const balancer = await startBalancer(cleanup, {
      backends: [{ host: '127.0.0.1', port: a.port }, { host: '127.0.0.1', port: b.port }],
      health: false,
    });
    const onA = await open(portOf(balancer));
    const reply = readAll(onA);
    await waitFor('a connection on a', () => a.accepted === 1);
    balancer.removeBackend(String(a.port));
    assert.deepEqual([await exchange(portOf(balancer)), await exchange(portOf(balancer))], ['b:', 'b:']);
    onA.end('still here');
    assert.equal((await reply).data.toString(), 'still here');
    assert.deepEqual(balancer.snapshot().backends.map((backend) => backend.port), [b.port]);
  });

  it('removing a backend that is not there is refused, naming it', async () => {
    const balancer = await startBalancer(cleanup, { backends: [], health: false });
    assert.throws(() => balancer.removeBackend('127.0.0.1:9999'), { message: 'Unknown backend "127.0.0.1:9999".' });
  });

  it('a disabled backend drains: draining while its connections finish, then disabled', async () => {
    const a = await echoBackend(cleanup);
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: a.port }], health: false });
    const changes: HealthChange[] = [];
    balancer.on('stateChanged', (change) => changes.push(change));
    const client = await open(portOf(balancer));
    const reply = readAll(client);
    await waitFor('a connection', () => a.accepted === 1);
    balancer.setEnabled(`127.0.0.1:${a.port}`, false);
    assert.equal(balancer.snapshot().backends[0].state, 'draining');
    assert.equal(await exchange(portOf(balancer)), '', 'a new client finds no backend');
    client.end('bye');
    assert.equal((await reply).data.toString(), 'bye');
    await waitFor('disabled', () => balancer.snapshot().backends[0].state === 'disabled');
    assert.deepEqual(
      changes.map(({ from, to }) => `${from}→${to}`),
      ['unknown→draining', 'draining→disabled'],
    );
  });

  it('an enabled backend takes connections again', async () => {
    const a = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: a.port }], health: false });
    balancer.setEnabled(String(a.port), false);
    balancer.setEnabled(String(a.port), true);
    assert.equal(await exchange(portOf(balancer), 'x'), 'a:x');
  });

  it('a backend can be addressed by its name', async () => {
    const a = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: a.port, name: 'web' }], health: false });
    balancer.setEnabled('web', false);
    assert.equal(balancer.snapshot().backends[0].state, 'disabled');
  });

  it('the strategy can be changed while running', async () => {
    const [a, b] = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b')];
    const balancer = await startBalancer(cleanup, {
      backends: [{ host: '127.0.0.1', port: a.port }, { host: '127.0.0.1', port: b.port }],
      health: false,
    });
    const held = await open(portOf(balancer)); // on a
    cleanup.add(() => held.destroy());
    await waitFor('held on a', () => a.sockets.size === 1);
    balancer.setStrategy('least-connections');
    assert.equal(balancer.snapshot().frontend.strategy, 'least-connections');
    assert.deepEqual([await exchange(portOf(balancer)), await exchange(portOf(balancer))], ['b:', 'b:']);
  });

  it('an unknown strategy is refused, naming it', async () => {
    const balancer = await startBalancer(cleanup, { backends: [], health: false });
    assert.throws(() => balancer.setStrategy('fastest' as never), {
      message: 'Unknown strategy "fastest": expected one of round-robin, least-connections, random, source-hash.',
    });
  });

  it('replacing the backend list keeps the counters of backends that stay, in the new order', async () => {
    const [a, b, c] = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b'), await namedBackend(cleanup, 'c')];
    const balancer = await startBalancer(cleanup, {
      backends: [{ host: '127.0.0.1', port: a.port }, { host: '127.0.0.1', port: b.port }],
      health: false,
    });
    await exchange(portOf(balancer));
    await exchange(portOf(balancer));
    balancer.setBackends([
      { host: '127.0.0.1', port: c.port },
      { host: '127.0.0.1', port: b.port, name: 'bee' },
    ]);
    const backends = balancer.snapshot().backends;
    assert.deepEqual(
      backends.map((backend) => [backend.port, backend.name, backend.totalConnections]),
      [
        [c.port, undefined, 0],
        [b.port, 'bee', 1],
      ],
    );
  });

  it('configure applies backends, strategy and timeouts while running', async () => {
    const [a, b] = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b')];
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: a.port }], health: false });
    balancer.configure({ backends: [{ host: '127.0.0.1', port: b.port }], strategy: 'random', connectTimeoutMs: 500 });
    assert.equal(await exchange(portOf(balancer)), 'b:');
    assert.equal(balancer.snapshot().frontend.strategy, 'random');
  });

  it('configure applies a connection limit while running: a client beyond it is closed cleanly, with no data', async () => {
    const a = await echoBackend(cleanup);
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: a.port }], health: false });
    const held = await open(portOf(balancer));
    cleanup.add(() => held.destroy());
    await waitFor('the held connection on the backend', () => a.sockets.size === 1);
    balancer.configure({ maxConnections: 1 });
    const refused = await readAll((await open(portOf(balancer))).end('over the limit'));
    assert.deepEqual({ bytes: refused.data.length, ended: refused.ended }, { bytes: 0, ended: true });
    assert.equal(balancer.snapshot().frontend.rejectedBy.limit, 1);
  });

  it('configure refuses to move a running frontend, naming both addresses', async () => {
    const balancer = await startBalancer(cleanup, { backends: [], health: false });
    const port = portOf(balancer);
    assert.throws(() => balancer.configure({ port: port + 1 }), {
      message: `Cannot move the frontend from 127.0.0.1:${port} to 127.0.0.1:${port + 1} while it is running: stop it first.`,
    });
  });

  it('configure with the port a running frontend got for port 0 is no move', async () => {
    const balancer = await startBalancer(cleanup, { backends: [], health: false });
    balancer.configure({ port: portOf(balancer) });
    assert.equal(balancer.running, true);
  });

  it('configure moves a stopped frontend', async () => {
    const a = await namedBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: a.port }], health: false });
    await balancer.stop();
    balancer.configure({ port: 0 });
    await balancer.start();
    assert.equal(await exchange(portOf(balancer), 'moved'), 'a:moved');
  });
});
