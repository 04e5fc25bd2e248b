// Several pools in one balancer on real sockets: each balances its own backends, and what happens
// in one (a fault, a dead backend, a port in use) leaves the others serving.
import assert from 'node:assert/strict';
import { Pools, type PoolStart } from '../../src/balancer';
import { Cleanup, exchange, listen, namedBackend } from '../support/net';

describe('pools', function () {
  this.timeout(20_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  const portOf = (starts: PoolStart[], name: string): number => {
    const start = starts.find((candidate) => candidate.name === name);
    assert.ok(start && 'address' in start, JSON.stringify(start));
    return start.address.port;
  };

  /** Three pools, each over two backends of its own that answer with their names. */
  async function threePools(): Promise<{ pools: Pools; ports: Record<string, number> }> {
    const pools = new Pools();
    cleanup.add(() => pools.stopAll());
    for (const name of ['web', 'api', 'auth']) {
      const backends = [await namedBackend(cleanup, `${name}1`), await namedBackend(cleanup, `${name}2`)];
      pools.add({ name, options: { port: 0, backends: backends.map(({ port }) => ({ host: '127.0.0.1', port })), health: false } });
    }
    const starts = await pools.startAll();
    return { pools, ports: Object.fromEntries(pools.names.map((name) => [name, portOf(starts, name)])) };
  }

  it('each pool balances its own backends, in turn', async () => {
    const { ports } = await threePools();
    for (const name of ['web', 'api', 'auth']) {
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(await exchange(ports[name], 'x'));
      assert.deepEqual(replies, [`${name}1:x`, `${name}2:x`, `${name}1:x`, `${name}2:x`]);
    }
  });

  it('a fault in one pool leaves the others answering', async () => {
    const { pools, ports } = await threePools();
    for (const backend of pools.get('api').snapshot().backends) pools.get('api').addFault(backend.id, { type: 'reset_peer' });
    assert.equal(await exchange(ports.api, 'x'), '', 'reset');
    assert.deepEqual([await exchange(ports.web, 'x'), await exchange(ports.auth, 'x')], ['web1:x', 'auth1:x']);
  });

  it('a port in use stops only its pool from starting, and its start says so with the pool and the code', async () => {
    const taken = await listen(cleanup, () => {});
    const backend = await namedBackend(cleanup, 'b');
    const pools = new Pools();
    cleanup.add(() => pools.stopAll());
    pools.add({ name: 'web', options: { port: taken.port, backends: [{ host: '127.0.0.1', port: backend.port }], health: false } });
    pools.add({ name: 'api', options: { port: 0, backends: [{ host: '127.0.0.1', port: backend.port }], health: false } });
    const starts = await pools.startAll();
    assert.deepEqual(starts.find((start) => start.name === 'web'), {
      name: 'web',
      error: `Port ${taken.port} is already in use (127.0.0.1:${taken.port}).`,
      code: 'LLB_PORT_IN_USE',
    });
    assert.equal(await exchange(portOf(starts, 'api'), 'x'), 'b:x');
  });

  it('a pool added while others run starts alone; a pool removed stops, and the others serve on', async () => {
    const { pools, ports } = await threePools();
    const backend = await namedBackend(cleanup, 'extra');
    pools.add({ name: 'extra', options: { port: 0, backends: [{ host: '127.0.0.1', port: backend.port }], health: false } });
    const starts = await pools.startAll();
    assert.deepEqual(starts.map((start) => start.name), ['extra'], 'the running pools are not started again');
    assert.equal(await exchange(portOf(starts, 'extra'), 'x'), 'extra:x');
    await pools.remove('web');
    assert.deepEqual(pools.names, ['api', 'auth', 'extra']);
    await assert.rejects(exchange(ports.web, 'x'), { code: 'ECONNREFUSED' });
    assert.equal(await exchange(ports.api, 'x'), 'api1:x');
  });

  it('a name is one pool\'s, and an unknown one is named with the pools there are', async () => {
    const pools = new Pools();
    pools.add({ name: 'web', options: { port: 0, backends: [] } });
    assert.throws(() => pools.add({ name: 'web', options: { port: 0, backends: [] } }), { code: 'LLB_CONFLICT', message: 'There is a pool named "web" already.' });
    assert.throws(() => pools.get('api'), { code: 'LLB_NOT_FOUND', message: 'Unknown pool "api": the pools are web.' });
  });
});
