import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Cleanup, exchange, namedBackend, open, readAll, waitFor } from '../support/net';
import { adminCall } from '../support/http';
import { start, type Running } from '../support/process';

const CLI = 'dist/cli.js';

describe('admin fault API', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function run(args: string[] = []): Promise<{ cli: Running; port: number; admin: number; backend: number }> {
    const backend = await namedBackend(cleanup, 'a');
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(backend.port), '--admin', '0', '--quiet', '--health', 'off', ...args]);
    const port = Number((await cli.waitFor(/Listening on 127\.0\.0\.1:(\d+)/))[1]);
    const admin = Number((await cli.waitFor(/Statistics on http:\/\/127\.0\.0\.1:(\d+)\/stats/))[1]);
    return { cli, port, admin, backend: backend.port };
  }

  it('POST adds a fault that applies to new connections, GET lists it, DELETE lifts it', async () => {
    const { port, admin, backend } = await run();
    const added = await adminCall(admin, 'POST', `/backends/127.0.0.1:${backend}/toxics`, { type: 'reset_peer', toxicity: 1 });
    assert.equal(added.status, 200);
    assert.deepEqual(JSON.parse(added.body), { name: 'reset_peer_downstream', type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } });
    assert.equal(await exchange(port, 'x'), '', 'reset instead of answered');
    const listed = await adminCall(admin, 'GET', `/backends/${backend}/toxics`);
    assert.deepEqual(JSON.parse(listed.body).map((fault: { name: string }) => fault.name), ['reset_peer_downstream']);
    assert.equal((await adminCall(admin, 'DELETE', `/backends/${backend}/toxics/reset_peer_downstream`)).status, 204);
    assert.equal(await exchange(port, 'y'), 'a:y');
  });

  it('POST /reset removes every fault', async () => {
    const { port, admin, backend } = await run();
    await adminCall(admin, 'POST', `/backends/${backend}/toxics`, { type: 'timeout', attributes: { timeout: 0 }, name: 'hang' });
    assert.equal((await adminCall(admin, 'POST', '/reset')).status, 204);
    assert.deepEqual(JSON.parse((await adminCall(admin, 'GET', `/backends/${backend}/toxics`)).body), []);
    assert.equal(await exchange(port, 'z'), 'a:z');
  });

  it('an unknown backend is 404, a bad body 400, each naming the problem', async () => {
    const { admin, backend } = await run();
    const unknown = await adminCall(admin, 'GET', '/backends/9/toxics');
    assert.deepEqual([unknown.status, JSON.parse(unknown.body).error], [404, 'Unknown backend "9".']);
    assert.equal((await adminCall(admin, 'GET', '/backends/%E0%A4%A/toxics')).status, 404, 'a malformed escape names no backend');
    const badType = await adminCall(admin, 'POST', `/backends/${backend}/toxics`, { type: 'lag' });
    assert.equal(badType.status, 400);
    assert.match(JSON.parse(badType.body).error, /Unknown fault type "lag"/);
    const notJson = await new Promise<number>((resolve) => {
      const req = request({ host: '127.0.0.1', port: admin, method: 'POST', path: `/backends/${backend}/toxics`, headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.end('{not json');
    });
    assert.equal(notJson, 400);
    const missing = await adminCall(admin, 'DELETE', `/backends/${backend}/toxics/nope`);
    assert.deepEqual([missing.status, JSON.parse(missing.body).error], [404, `Backend 127.0.0.1:${backend} has no fault named "nope".`]);
  });

  it('a second fault of the same name is refused with 409, naming it, and the first stays as it was', async () => {
    const { admin, backend } = await run();
    const path = `/backends/${backend}/toxics`;
    assert.equal((await adminCall(admin, 'POST', path, { type: 'latency', name: 'slow', attributes: { latency: 100 } })).status, 200);
    const again = await adminCall(admin, 'POST', path, { type: 'latency', name: 'slow', attributes: { latency: 900 } });
    assert.equal(again.status, 409);
    assert.match(JSON.parse(again.body).error, /already has a fault named "slow"/);
    assert.deepEqual(JSON.parse((await adminCall(admin, 'GET', path)).body).map((fault: { attributes: { latency: number } }) => fault.attributes.latency), [100]);
  });

  it('a change without a JSON content type, or for a Host that is not this machine, is refused with 403 and changes nothing', async () => {
    const { admin, backend } = await run();
    const path = `/backends/${backend}/toxics`;
    const form = await adminCall(admin, 'POST', path, { type: 'reset_peer' }, { 'Content-Type': 'text/plain' });
    const rebound = await adminCall(admin, 'POST', path, { type: 'reset_peer' }, { Host: 'evil.example:8080' });
    assert.deepEqual([form.status, rebound.status], [403, 403]);
    assert.match(JSON.parse(rebound.body).error, /Host localhost or a loopback address, not "evil\.example:8080"/);
    assert.deepEqual(JSON.parse((await adminCall(admin, 'GET', path)).body), []);
    assert.equal(form.headers['access-control-allow-origin'], undefined, 'no CORS headers, ever');
  });

  it('with --workers, a fault added through the API reaches the connections of every process', async () => {
    const { port, admin, backend, cli } = await run(['--workers', '2']);
    await cli.waitFor(/2 processes accept connections/);
    const [worker] = readFileSync(`/proc/${cli.child.pid}/task/${cli.child.pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    const sockets = (): number => readdirSync(`/proc/${worker}/fd`).filter((fd) => readlinkSync(`/proc/${worker}/fd/${fd}`).startsWith('socket:')).length;
    const before = sockets();
    await adminCall(admin, 'POST', `/backends/${backend}/toxics`, { type: 'reset_peer' });
    const clients = await Promise.all(Array.from({ length: 40 }, () => open(port)));
    cleanup.add(() => clients.forEach((client) => client.destroy()));
    await waitFor('the worker to hold some of the connections', () => sockets() > before);
    const replies = await Promise.all(
      clients.map((client, i) => {
        const reply = readAll(client);
        client.end(String(i));
        return reply;
      }),
    );
    assert.deepEqual(replies.filter((reply) => reply.data.length > 0 || reply.error?.code !== 'ECONNRESET').length, 0, 'every connection reset, the worker\'s too');
  });
});
