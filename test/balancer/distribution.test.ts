import assert from 'node:assert/strict';
import { Cleanup, exchange, namedBackend, open, portOf, startBalancer, waitFor, type TestServer } from '../support/net';

describe('distribution by strategy', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function threeBackends(): Promise<TestServer[]> {
    return Promise.all(['a', 'b', 'c'].map((name) => namedBackend(cleanup, name)));
  }

  const specs = (servers: TestServer[]) => servers.map((server) => ({ host: '127.0.0.1', port: server.port }));

  it('round robin hands connections to the backends in turn, in configured order', async () => {
    const servers = await threeBackends();
    const balancer = await startBalancer(cleanup, { backends: specs(servers), health: false });
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) answers.push(await exchange(portOf(balancer), 'x'));
    assert.deepEqual(answers, ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'].map((name) => `${name}:x`));
    assert.deepEqual(
      balancer.snapshot().backends.map((backend) => backend.totalConnections),
      [4, 4, 4],
    );
  });

  it('least connections sends a new connection to the backend with the fewest open ones', async () => {
    const servers = await threeBackends();
    const balancer = await startBalancer(cleanup, { backends: specs(servers), strategy: 'least-connections', health: false });
    const held = [await open(portOf(balancer)), await open(portOf(balancer)), await open(portOf(balancer))];
    cleanup.add(() => held.forEach((socket) => socket.destroy()));
    await waitFor('one connection on each backend', () => servers.every((server) => server.sockets.size === 1));
    // Close the connection held on b: it becomes the least loaded.
    const onB = balancer.snapshot().backends.findIndex((backend) => backend.port === servers[1].port);
    held[onB].destroy();
    await waitFor('b to have no connection', () => balancer.snapshot().backends[1].activeConnections === 0);
    assert.equal(await exchange(portOf(balancer), 'next'), 'b:next');
  });

  it('least connections rotates among equally loaded backends', async () => {
    const servers = await threeBackends();
    const balancer = await startBalancer(cleanup, { backends: specs(servers), strategy: 'least-connections', health: false });
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push(await exchange(portOf(balancer)));
    assert.deepEqual(answers, ['a:', 'b:', 'c:', 'a:', 'b:', 'c:']);
  });

  it('random spreads connections over every backend', async () => {
    const servers = await threeBackends();
    const balancer = await startBalancer(cleanup, { backends: specs(servers), strategy: 'random', health: false });
    const counts = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const answer = await exchange(portOf(balancer));
      counts.set(answer, (counts.get(answer) ?? 0) + 1);
    }
    // Expected 100 each; below 50 has a probability of about 1e-9.
    for (const name of ['a:', 'b:', 'c:']) assert.ok((counts.get(name) ?? 0) >= 50, `${name} got ${counts.get(name)}`);
  });

  it('a disabled backend gets no new connections', async () => {
    const servers = await threeBackends();
    const balancer = await startBalancer(cleanup, { backends: specs(servers), health: false });
    balancer.setEnabled(`127.0.0.1:${servers[1].port}`, false);
    const answers = new Set<string>();
    for (let i = 0; i < 6; i++) answers.add(await exchange(portOf(balancer)));
    assert.deepEqual([...answers].sort(), ['a:', 'c:']);
  });
});
