// Load on the `local-lb` process: many connections at once, many in a row, and big transfers.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { Cleanup, echoBackend, exchange, listen, open, waitFor } from '../support/net';
import { startBalancerProcess } from './balancerProcess';

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

describe('faults: load', function () {
  this.timeout(120_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('2000 connections at once each get their own bytes back, exactly', async () => {
    const backend = await echoBackend(cleanup);
    const lb = await startBalancerProcess(cleanup, ['-p', String(backend.port), '--health', 'off']);
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
    const lb = await startBalancerProcess(cleanup, ['-p', String(backend.port), '--health', 'off']);
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
    const send = async (socket: Socket): Promise<string> => {
      const hash = createHash('sha256');
      for (let sent = 0; sent < SIZE; ) {
        const chunk = randomBytes(Math.min(256 * 1024, SIZE - sent));
        hash.update(chunk);
        sent += chunk.length;
        if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
      }
      socket.end();
      return hash.digest('hex');
    };
    const receive = (socket: Socket): Promise<{ sha: string; bytes: number }> =>
      new Promise((resolve) => {
        const hash = createHash('sha256');
        let bytes = 0;
        socket.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          bytes += chunk.length;
        });
        socket.once('end', () => resolve({ sha: hash.digest('hex'), bytes }));
      });
    let atBackend!: { received: Promise<{ sha: string; bytes: number }>; sent: Promise<string> };
    const backend = await listen(cleanup, (socket) => {
      atBackend = { received: receive(socket), sent: send(socket) };
    });
    const lb = await startBalancerProcess(cleanup, ['-p', String(backend.port), '--health', 'off']);
    const client = await open(lb.port);
    const [received, sent] = [receive(client), send(client)];
    assert.deepEqual(await received, { sha: await atBackend.sent, bytes: SIZE }, 'backend → client');
    assert.deepEqual(await atBackend.received, { sha: await sent, bytes: SIZE }, 'client → backend');
  });
});
