// Backends that misbehave, seen from a client of the `local-lb` process.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cleanup, closedPort, delay, exchange, listen, namedBackend, open, readAll, waitFor } from '../support/net';
import { startBalancerProcess } from './balancerProcess';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('faults: backends', function (dataPath) {
  this.timeout(30_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('backends that refuse: every client is served by one that accepts', async () => {
    const live = await namedBackend(cleanup, 'live');
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(await closedPort()), '-p', String(live.port), '-p', String(await closedPort())]);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => exchange(lb.port, String(i))));
    assert.deepEqual(answers, Array.from({ length: 20 }, (_, i) => `live:${i}`));
    assert.ok(lb.alive());
  });

  it('a backend that accepts and never answers: the idle timeout closes the client cleanly', async () => {
    const silent = await listen(cleanup, (socket) => {
      socket.resume();
      socket.on('end', () => socket.end());
    });
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(silent.port), '--idle-timeout', '300ms']);
    const started = Date.now();
    const client = await open(lb.port);
    const reply = readAll(client);
    client.write('anyone there?');
    const { data, ended } = await reply;
    const took = Date.now() - started;
    assert.deepEqual([data.length, ended], [0, true]);
    assert.ok(took >= 250 && took < 3000, `closed after ${took} ms`);
    await waitFor('the backend side closed too', () => silent.sockets.size === 0);
  });

  it('a backend that closes mid-transfer: the client gets every byte it sent, then an end', async () => {
    const quitter = await listen(cleanup, (socket) => {
      socket.resume();
      socket.end('half of the answer');
    });
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(quitter.port)]);
    const client = await open(lb.port);
    const reply = await readAll(client.end('question'));
    assert.deepEqual([reply.data.toString(), reply.ended], ['half of the answer', true]);
  });

  it('a backend reset mid-transfer: the client gets what came before, then a reset, and the process lives', async () => {
    const crasher = await listen(cleanup, (socket) => {
      socket.write('the start of an answer');
      setTimeout(() => socket.resetAndDestroy(), 50);
    });
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(crasher.port)]);
    const replies = await Promise.all(Array.from({ length: 10 }, async () => readAll(await open(lb.port))));
    for (const reply of replies) {
      assert.deepEqual([reply.data.toString(), reply.ended, reply.error?.code], ['the start of an answer', false, 'ECONNRESET']);
    }
    assert.ok(lb.alive());
  });

  it('a backend that comes back gets clients again', async () => {
    const backend = await namedBackend(cleanup, 'phoenix');
    const port = backend.port;
    const spare = await namedBackend(cleanup, 'spare');
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(port), '-p', String(spare.port), '--health-interval', '50ms']);
    const count = (state: string): number => lb.running.output().split(`Backend 127.0.0.1:${port} is ${state}`).length - 1;
    await waitFor('it to be up', () => count('up') === 1);
    await backend.close();
    await waitFor('it to be down', () => count('down') === 1);
    await namedBackend(cleanup, 'phoenix', port);
    await waitFor('it to be up again', () => count('up') === 2);
    const answers = new Set([await exchange(lb.port), await exchange(lb.port)]);
    assert.deepEqual([...answers].sort(), ['phoenix:', 'spare:']);
  });

  it('all backends down: every client is closed cleanly, with no data', async () => {
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(await closedPort()), '-p', String(await closedPort())]);
    const replies = await Promise.all(Array.from({ length: 10 }, async () => readAll((await open(lb.port)).end('hello?'))));
    for (const reply of replies) assert.deepEqual([reply.data.length, reply.ended, reply.error], [0, true, undefined]);
    await lb.running.waitFor(/No backend available/);
    assert.equal(lb.running.output().match(/No backend available/g)?.length, 1, 'one line for the burst');
  });

  it('a flapping backend never gets two good checks in a row, so it stays down and gets no client', async () => {
    // Its health check answers 503, 200, 503, 200…: rise needs 2 good ones in a row.
    let checks = 0;
    let clients = 0;
    const flapper: Server = createServer((req, res) => {
      if (req.url === '/health') res.writeHead(checks++ % 2 === 0 ? 503 : 200).end();
      else res.end(`flapper ${++clients}`);
    });
    await new Promise<void>((resolve) => flapper.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise((resolve) => flapper.close(resolve)));
    const steady = createServer((_req, res) => res.end('steady'));
    await new Promise<void>((resolve) => steady.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise((resolve) => steady.close(resolve)));
    const ports = [flapper, steady].map((server) => String((server.address() as AddressInfo).port));
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', ports[0], '-p', ports[1], '--health', 'http:/health', '--health-interval', '30ms']);
    await waitFor('ten checks of the flapper', () => checks >= 10);
    for (let i = 0; i < 20; i++) await exchange(lb.port, 'GET / HTTP/1.0\r\n\r\n');
    await delay(100);
    assert.equal(clients, 0);
    assert.match(lb.running.output(), new RegExp(`Backend 127\\.0\\.0\\.1:${ports[0]} is down`));
    assert.doesNotMatch(lb.running.output(), new RegExp(`Backend 127\\.0\\.0\\.1:${ports[0]} is up`));
  });
});
