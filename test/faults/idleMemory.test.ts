// What idle connections cost the `local-lb` process in memory, on each data path.
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import type { DataPathName } from '../../src/balancer';
import { Cleanup, delay, echoBackend, open, waitFor } from '../support/net';
import { startBalancerProcess } from './balancerProcess';

const MiB = 1024 * 1024;
const IDLE = 2000;

describe('faults: idle connections', function () {
  this.timeout(120_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** Resident memory that `IDLE` open, silent clients (and their backend connections) add to a fresh process. */
  async function idleCost(dataPath: DataPathName): Promise<number> {
    const backend = await echoBackend(cleanup);
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port), '--health', 'off']);
    await delay(300);
    const before = lb.rss();
    const clients: Socket[] = [];
    for (let i = 0; i < IDLE; i++) clients.push(await open(lb.port));
    cleanup.add(() => clients.forEach((client) => client.destroy()));
    await waitFor(`${IDLE} connections at the backend`, () => backend.sockets.size === IDLE, 30_000);
    await delay(300);
    return lb.rss() - before;
  }

  it('2000 idle connections cost the handles at most three quarters of what they cost net.Socket, and at most 16 MiB', async function () {
    const handles = await idleCost('handles');
    const sockets = await idleCost('sockets');
    const mib = (bytes: number): string => (bytes / MiB).toFixed(1);
    this.test!.title += ` (measured: handles ${mib(handles)} MiB, sockets ${mib(sockets)} MiB)`;
    assert.ok(handles < 0.75 * sockets, `handles ${mib(handles)} MiB against sockets ${mib(sockets)} MiB`);
    assert.ok(handles < 16 * MiB, `handles ${mib(handles)} MiB`);
  });
});
