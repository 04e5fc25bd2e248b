// The `local-lb` process at the limits of its machine.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { Cleanup, echoBackend, exchange, open, readAll, waitFor } from '../support/net';

/** Clients closed rather than served, and those of them closed with a FIN. */
const closed = (clients: Socket[]): number => clients.filter((client) => client.destroyed || client.readableEnded).length;
const refusedCleanly = (clients: Socket[]): number => clients.filter((client) => client.readableEnded).length;
import { startBalancerProcess } from './balancerProcess';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('faults: limits', function (dataPath) {
  this.timeout(60_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('nearly out of file descriptors: clean refusals, no crash, one log line, and service again as soon as load drops', async () => {
    const backend = await echoBackend(cleanup);
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port), '--health-interval', '100ms'], { fdLimit: 256 });
    await lb.running.waitFor(/is up/);
    // Each proxied connection takes two descriptors: 200 connections need more than 256.
    const held: Socket[] = [];
    for (let i = 0; i < 200; i++) {
      const client = await open(lb.port);
      void readAll(client);
      client.write('x');
      held.push(client);
    }
    cleanup.add(() => held.forEach((client) => client.destroy()));
    await lb.running.waitFor(/Refused 127\.0\.0\.1:\d+: nearly out of file descriptors \(ulimit -n 256\)/);
    assert.ok(lb.alive());
    // Each client was either served or closed: none hangs. Most refusals are clean FINs from us;
    // past the hard limit the kernel and libuv reset what cannot be accepted at all.
    await waitFor('every client served or closed', () => backend.sockets.size + closed(held) === 200);
    assert.ok(backend.sockets.size > 100, `${backend.sockets.size} served`);
    assert.ok(refusedCleanly(held) > 0, 'some were refused with a FIN');
    for (const client of held) client.destroy();
    await waitFor('the held connections to close', () => backend.sockets.size === 0, 10_000);
    assert.equal(await exchange(lb.port, 'back to normal'), 'back to normal');
    const output = lb.running.output();
    assert.equal(output.match(/out of file descriptors/g)?.length, 1, 'one line per interval');
    assert.doesNotMatch(output, /is down/, 'the backend was not blamed');
  });
});
