import assert from 'node:assert/strict';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { BalancerSnapshot, TrafficUpdate } from '../../src/balancer';
import { Cleanup, closedPort, exchange, namedBackend, open, readAll, waitFor } from '../support/net';
import { httpGet } from '../support/http';
import { start, type Running } from '../support/process';

const CLI = 'dist/cli.js';
const LISTENING = /Listening on 127\.0\.0\.1:(\d+)/;
const WORKERS_READY = /2 processes accept connections/;

/** Worker processes of a `local-lb`: its children. */
function workerPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const sockets = (pid: number): number => readdirSync(`/proc/${pid}/fd`).filter((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')).length;
const alive = (pid: number): boolean => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

describe('local-lb --workers', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function startWorkers(args: string[]): Promise<{ cli: Running; port: number; admin: string; worker: number }> {
    const cli = start(cleanup, CLI, ['-f', '0', '--workers', '2', '--admin', '0', '--quiet', ...args]);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    await cli.waitFor(WORKERS_READY);
    const admin = (await cli.waitFor(/Statistics on (http:\/\/127\.0\.0\.1:\d+)\/stats/))[1];
    const [worker] = workerPids(cli.child.pid as number);
    // Nothing may outlive the test: the main process goes first, its workers follow it.
    cleanup.add(async () => {
      const workers = [worker, ...workerPids(cli.child.pid as number)];
      cli.child.kill('SIGKILL');
      await waitFor('the workers to exit', () => !workers.some(alive));
    });
    return { cli, port, admin, worker };
  }

  /** 100 client connections held open, once the worker holds some of them. */
  async function connectionsSharedWithWorker(port: number, worker: number): Promise<Socket[]> {
    const before = sockets(worker);
    const clients: Socket[] = [];
    for (let i = 0; i < 100; i++) clients.push(await open(port));
    await waitFor('the worker to hold some of the connections', () => sockets(worker) > before);
    return clients;
  }

  /** Sends each client its payload, ends it, and returns the replies. */
  async function exchangeAll(clients: Socket[], payload: (i: number) => string): Promise<string[]> {
    const replies = clients.map((client) => readAll(client));
    clients.forEach((client, i) => client.end(payload(i)));
    return (await Promise.all(replies)).map((reply) => reply.data.toString());
  }

  const stats = async (admin: string): Promise<BalancerSnapshot> => JSON.parse((await httpGet(`${admin}/stats`)).body);

  it('a second process accepts connections on the same port', async () => {
    const a = await namedBackend(cleanup, 'a');
    const { port, worker } = await startWorkers(['-p', String(a.port)]);
    const clients = await connectionsSharedWithWorker(port, worker);
    clients.forEach((client) => client.destroy());
  });

  it('/stats adds up the connections of every process', async () => {
    const a = await namedBackend(cleanup, 'a');
    const { port, admin, worker } = await startWorkers(['-p', String(a.port)]);
    const clients = await connectionsSharedWithWorker(port, worker);
    // Some of them are the worker's: only the sum of both processes reaches 100.
    const active = async (): Promise<number> => (await stats(admin)).frontend.activeConnections;
    for (let tries = 0; (await active()) !== 100; tries++) {
      if (tries === 50) assert.fail(`${await active()} active connections in /stats, expected 100`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(await exchangeAll(clients, String), clients.map((_, i) => `a:${i}`));
    const { frontend, backends } = await stats(admin);
    assert.deepEqual([frontend.totalConnections, backends[0].totalConnections, backends[0].sharePercent], [100, 100, 100]);
  });

  it('/stats adds up the times to connect and to the first byte of every process', async () => {
    const a = await namedBackend(cleanup, 'a');
    const { port, admin, worker } = await startWorkers(['-p', String(a.port)]);
    const clients = await connectionsSharedWithWorker(port, worker);
    await exchangeAll(clients, String);
    const counted = (histogram?: { counts: number[] }): number => histogram?.counts.reduce((sum, count) => sum + count, 0) ?? 0;
    let backend = (await stats(admin)).backends[0];
    for (let tries = 0; counted(backend.firstByteHistogram) !== 100; tries++) {
      if (tries === 50) assert.fail(`${counted(backend.firstByteHistogram)} first bytes timed in /stats, expected 100`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      backend = (await stats(admin)).backends[0];
    }
    assert.equal(counted(backend.connectHistogram), 100);
    assert.ok(backend.connectMs && backend.firstByteMs, JSON.stringify(backend));
  });

  it('/traffic adds up the connections of every process, and lists each one once', async () => {
    const a = await namedBackend(cleanup, 'a');
    const { port, admin, worker } = await startWorkers(['-p', String(a.port)]);
    const first = JSON.parse((await httpGet(`${admin}/traffic`)).body) as TrafficUpdate;
    const clients = await connectionsSharedWithWorker(port, worker);
    await exchangeAll(clients, String);
    const counted = async (): Promise<TrafficUpdate> => JSON.parse((await httpGet(`${admin}/traffic?second=${first.cursor.second}&seq=0`)).body);
    let update = await counted();
    for (let tries = 0; update.backends[0].counts.reduce((sum, n) => sum + n, 0) < 100 || update.entries.length < 100; tries++) {
      if (tries === 50) assert.fail(`/traffic: ${JSON.stringify(update.backends[0].counts)}, ${update.entries.length} entries`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      update = await counted();
    }
    assert.equal(update.backends[0].counts.reduce((sum, n) => sum + n, 0), 100);
    assert.deepEqual(update.entries.map((entry) => entry.seq), Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('workers follow the main process\'s health checks: a down backend is not tried', async () => {
    const a = await namedBackend(cleanup, 'a');
    const down = await closedPort();
    const { cli, port, admin, worker } = await startWorkers(['-p', String(a.port), '-p', String(down), '--health-interval', '200ms']);
    await cli.waitFor(new RegExp(`Backend 127\\.0\\.0\\.1:${down} is down`));
    const before = (await stats(admin)).backends[1].connectFailures;
    const clients = await connectionsSharedWithWorker(port, worker);
    assert.deepEqual(new Set(await exchangeAll(clients, () => 'x')), new Set(['a:x']));
    assert.equal((await stats(admin)).backends[1].connectFailures, before, 'no process tried the down backend');
  });

  it('SIGTERM stops every process and exits 0', async () => {
    const a = await namedBackend(cleanup, 'a');
    const { cli, worker } = await startWorkers(['-p', String(a.port)]);
    cli.child.kill('SIGTERM');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
    await waitFor('the worker to exit', () => !alive(worker));
  });

  it('a killed main process takes its workers with it', async () => {
    const a = await namedBackend(cleanup, 'a');
    const { cli, worker } = await startWorkers(['-p', String(a.port)]);
    cli.child.kill('SIGKILL');
    await waitFor('the worker to exit', () => !alive(worker));
  });

  it('a worker that dies is replaced and the port keeps answering', async () => {
    const a = await namedBackend(cleanup, 'a');
    const { cli, port, worker } = await startWorkers(['-p', String(a.port)]);
    process.kill(worker, 'SIGKILL');
    await cli.waitFor(new RegExp(`WARN: worker 1 \\(pid ${worker}\\) exited with SIGKILL; starting another`));
    assert.equal(await exchange(port, 'still'), 'a:still');
    await waitFor('a new worker', () => workerPids(cli.child.pid as number).some((pid) => pid !== worker && alive(pid)));
  });
});
