// Clients that misbehave, and what the `local-lb` process does about them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { Cleanup, delay, echoBackend, exchange, listen, open, readAll, waitFor } from '../support/net';
import { startBalancerProcess } from './balancerProcess';
import { describeOnEachDataPath } from '../support/dataPaths';

const MiB = 1024 * 1024;

describeOnEachDataPath('faults: clients', function (dataPath) {
  this.timeout(60_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('clients that reset mid-stream: the process lives and its descriptors return to where they were', async () => {
    const streamer = await listen(cleanup, (socket) => {
      const chunk = randomBytes(64 * 1024);
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk));
      };
      socket.on('drain', pump);
      pump();
    });
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(streamer.port), '--health', 'off']);
    const resetAfterData = async (count: number): Promise<void> => {
      const clients = await Promise.all(Array.from({ length: count }, () => open(lb.port)));
      await Promise.all(clients.map((client) => new Promise((resolve) => client.once('data', resolve))));
      for (const client of clients) client.resetAndDestroy();
    };
    await resetAfterData(1);
    await waitFor('the warm-up connection to close', () => streamer.sockets.size === 0);
    const baseline = lb.descriptors();
    await resetAfterData(50);
    await waitFor('the backend connections to close', () => streamer.sockets.size === 0, 10_000);
    await waitFor('the descriptors back to the baseline', () => lb.descriptors() <= baseline, 10_000);
    assert.ok(lb.alive());
  });

  it('a client that half-closes after its request gets the whole answer', async () => {
    const backend = await listen(cleanup, (socket) => {
      socket.resume();
      socket.on('end', async () => {
        await delay(100);
        socket.end('the whole answer, after the client\'s FIN');
      });
    });
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port)]);
    assert.equal(await exchange(lb.port, 'request'), 'the whole answer, after the client\'s FIN');
  });

  it('a client that never reads: the process stops reading from the backend and its memory stays bounded', async () => {
    let written = 0;
    let lastProgress = Date.now();
    let stop = false;
    const chunk = randomBytes(256 * 1024);
    const firehose = await listen(cleanup, async (socket) => {
      while (!stop && written < 512 * MiB) {
        const more = socket.write(chunk);
        written += chunk.length;
        lastProgress = Date.now();
        if (!more) await new Promise((resolve) => socket.once('drain', resolve));
      }
    });
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(firehose.port), '--health', 'off']);
    const before = lb.rss();
    const client = await open(lb.port);
    client.pause();
    await waitFor('the backend to be held back for 500 ms', () => written > 0 && Date.now() - lastProgress > 500, 30_000);
    const grew = lb.rss() - before;
    stop = true;
    client.destroy();
    assert.ok(written < 64 * MiB, `the backend got ${Math.round(written / MiB)} MiB out`);
    assert.ok(grew < 32 * MiB, `the process grew by ${Math.round(grew / MiB)} MiB`);
  });

  it('idle connections are closed after the idle timeout', async () => {
    const backend = await echoBackend(cleanup);
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port), '--idle-timeout', '200ms']);
    const clients = await Promise.all(Array.from({ length: 20 }, () => open(lb.port)));
    const started = Date.now();
    const replies = await Promise.all(clients.map(readAll));
    assert.ok(Date.now() - started < 5000);
    assert.ok(replies.every((reply) => reply.ended), 'each was closed with a FIN');
    await waitFor('the backend side closed', () => backend.sockets.size === 0);
  });

  it('--max-connections closes the excess cleanly and serves again once there is room', async () => {
    const backend = await echoBackend(cleanup);
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port), '--max-connections', '5', '--health', 'off']);
    const held: Socket[] = [];
    for (let i = 0; i < 5; i++) {
      const client = await open(lb.port);
      client.write('x');
      await new Promise((resolve) => client.once('data', resolve));
      held.push(client);
    }
    const excess = await readAll((await open(lb.port)).end('one too many'));
    assert.deepEqual([excess.data.length, excess.ended, excess.error], [0, true, undefined]);
    await lb.running.waitFor(/Refused 127\.0\.0\.1:\d+: 5 connections are open, the most allowed/);
    held.pop()?.destroy();
    await waitFor('room for one more', () => backend.sockets.size === 4);
    assert.equal(await exchange(lb.port, 'now there is room'), 'now there is room');
    for (const client of held) client.destroy();
  });
});
