// Load on the `local-lb` process: many connections at once, many in a row, and big transfers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { Cleanup, echoBackend, exchange, listen, open, receiveHash, sendRandom, waitFor } from '../support/net';
import { startBalancerProcess } from './balancerProcess';
import { describeOnEachDataPath } from '../support/dataPaths';

const MiB = 1024 * 1024;

/** Sends `payload` and resolves with what came back before the end. */
function roundTrip(socket: Socket, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
    socket.end(payload);
  });
}

async function inBatches<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

describeOnEachDataPath('faults: load', function (dataPath) {
  this.timeout(120_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('2000 connections at once each get their own bytes back, exactly', async () => {
    const backend = await echoBackend(cleanup);
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port), '--health', 'off']);
    const clients = await Promise.all(Array.from({ length: 2000 }, () => open(lb.port)));
    cleanup.add(() => clients.forEach((client) => client.destroy()));
    await waitFor('2000 connections at the backend', () => backend.sockets.size === 2000, 30_000);
    const payloads = clients.map(() => randomBytes(16 * 1024));
    const echoes = await Promise.all(clients.map((client, i) => roundTrip(client, payloads[i])));
    const mismatched = echoes.filter((echo, i) => !echo.equals(payloads[i])).length;
    assert.equal(mismatched, 0);
    assert.ok(lb.alive());
  });

  it('20,000 short connections leave descriptors and memory where they were', async () => {
    const backend = await echoBackend(cleanup);
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port), '--health', 'off']);
    // The heap settles at its working size within the first thousands; after that it must stay flat.
    await inBatches(5000, 64, (i) => exchange(lb.port, String(i)));
    await waitFor('the warm-up to finish', () => backend.sockets.size === 0);
    const descriptors = lb.descriptors();
    const rss = lb.rss();
    let wrong = 0;
    await inBatches(20_000, 64, async (i) => {
      if ((await exchange(lb.port, `#${i}`)) !== `#${i}`) wrong++;
    });
    assert.equal(wrong, 0);
    await waitFor('the backend side to close', () => backend.sockets.size === 0);
    await waitFor('descriptors back to the baseline', () => lb.descriptors() <= descriptors, 5000);
    const grew = lb.rss() - rss;
    assert.ok(grew < 16 * MiB, `the process grew by ${Math.round(grew / MiB)} MiB`);
  });

  it('100 MB each way at once arrive byte for byte', async () => {
    const SIZE = 100 * MiB;
    let atBackend!: { received: Promise<{ digest: string; bytes: number }>; sent: Promise<string> };
    const backend = await listen(cleanup, (socket) => {
      atBackend = { received: receiveHash(socket), sent: sendRandom(socket, SIZE) };
    });
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port), '--health', 'off']);
    const client = await open(lb.port);
    const [received, sent] = [receiveHash(client), sendRandom(client, SIZE)];
    assert.deepEqual(await received, { digest: await atBackend.sent, bytes: SIZE }, 'backend → client');
    assert.deepEqual(await atBackend.received, { digest: await sent, bytes: SIZE }, 'client → backend');
  });
});
