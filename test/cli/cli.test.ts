import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { version } from '../../package.json';
import { Cleanup, closedPort, exchange, listen, namedBackend, open, readAll, waitFor } from '../support/net';
import { httpGet } from '../support/http';
import { fetchFrom, httpBackend, keepAliveClient } from '../support/httpServers';
import { runToEnd, start } from '../support/process';

const CLI = 'dist/cli.js';
const LISTENING = /Listening on 127\.0\.0\.1:(\d+)/;

describe('local-lb command', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('balances as the Go program basic-lb does and logs each connection as it does', async () => {
    const [a, b] = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b')];
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(a.port), '-p', String(b.port)]);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    assert.deepEqual([await exchange(port, '1'), await exchange(port, '2')], ['a:1', 'b:2']);
    await cli.waitFor(new RegExp(`Finished 127\\.0\\.0\\.1:\\d+ to 127\\.0\\.0\\.1:${b.port}`));
    assert.match(cli.output(), new RegExp(`^\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d Handling 127\\.0\\.0\\.1:\\d+ to 127\\.0\\.0\\.1:${a.port}$`, 'm'));
  });

  it('--quiet leaves out the connection lines but keeps health changes', async () => {
    const a = await namedBackend(cleanup, 'a');
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(a.port), '--quiet']);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    await cli.waitFor(/Backend 127\.0\.0\.1:\d+ is up/);
    assert.equal(await exchange(port, 'q'), 'a:q');
    assert.doesNotMatch(cli.output(), /Handling|Finished/);
  });

  it('above 100 new connections a second, connections are counted instead of logged one by one', async () => {
    const a = await namedBackend(cleanup, 'a');
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(a.port), '--health', 'off']);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 50 }, () => exchange(port, 'x')));
    const unlogged = Number((await cli.waitFor(/(\d+) more connections in the last second, not logged one by one \(over 100 a second\)/))[1]);
    const handled = cli.output().match(/Handling/g)?.length ?? 0;
    assert.ok(unlogged > 0 && handled < 500, `${handled} logged, ${unlogged} counted`);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await exchange(port, 'calm again');
    await waitFor('lines to come back once the rate drops', () => cli.output().match(/Handling/g)?.length === handled + 1);
  });

  it('a bad argument exits with code 2, names the value, and binds nothing', async () => {
    const port = await closedPort();
    const { code, output } = await runToEnd(cleanup, CLI, ['-f', String(port), '-p', '8080.0']);
    assert.equal(code, 2);
    assert.equal(output, 'local-lb: Invalid backend port "8080.0": expected a whole number 1–65535.\nRun "local-lb --help" for usage.\n');
    const again = await listen(cleanup, () => {}, port);
    assert.equal(again.port, port, 'the port is still free');
  });

  it('a frontend port in use exits with code 1 and names the port', async () => {
    const taken = await listen(cleanup, () => {});
    const { code, output } = await runToEnd(cleanup, CLI, ['-f', String(taken.port), '-p', '8101']);
    assert.equal(code, 1);
    assert.equal(output, `local-lb: Port ${taken.port} is already in use (127.0.0.1:${taken.port}).\n`);
  });

  it('an admin port in use on IPv6 loopback exits with code 1 and names the address in brackets', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '::1', resolve));
    cleanup.add(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as AddressInfo).port;
    const { code, output } = await runToEnd(cleanup, CLI, ['-f', '0', '-p', '8101', '--admin', `[::1]:${port}`, '--health', 'off', '--quiet']);
    assert.equal(code, 1);
    assert.match(output, new RegExp(`^local-lb: The admin endpoint's port ${port} is already in use \\(\\[::1\\]:${port}\\)\\.$`, 'm'));
  });

  it('SIGTERM lets open connections finish, then exits 0', async () => {
    const slow = await listen(cleanup, (socket) => {
      socket.resume();
      socket.on('end', () => setTimeout(() => socket.end('late but whole'), 300));
    });
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(slow.port), '--health', 'off']);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    const client = await open(port);
    const reply = readAll(client);
    client.end('request');
    await cli.waitFor(/Handling/);
    cli.child.kill('SIGTERM');
    assert.equal((await reply).data.toString(), 'late but whole');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
    assert.match(cli.output(), /SIGTERM: stopping; open connections may finish for 5000 ms/);
  });

  it('a second SIGTERM closes every connection at once and exits 0', async () => {
    const idle = await listen(cleanup, (socket) => socket.resume());
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(idle.port), '--health', 'off', '--drain-timeout', '1m']);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    const client = await open(port);
    const reply = readAll(client);
    await cli.waitFor(/Handling/);
    cli.child.kill('SIGTERM');
    await cli.waitFor(/SIGTERM: stopping/);
    cli.child.kill('SIGTERM');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
    assert.equal((await reply).ended, false, 'the client learns it was cut off');
    assert.match(cli.output(), /SIGTERM: closing every connection now/);
  });

  describe('admin endpoint', () => {
    async function startWithAdmin() {
      const a = await namedBackend(cleanup, 'a');
      const cli = start(cleanup, CLI, ['-f', '0', '-p', String(a.port), '--admin', '0', '--quiet']);
      const port = Number((await cli.waitFor(LISTENING))[1]);
      const admin = (await cli.waitFor(/Statistics on (http:\/\/127\.0\.0\.1:\d+)\/stats/))[1];
      await exchange(port, 'twelve bytes');
      return { admin, backend: `127.0.0.1:${a.port}` };
    }

    it('GET /stats answers the snapshot as JSON', async () => {
      const { admin, backend } = await startWithAdmin();
      const { status, type, body } = await httpGet(`${admin}/stats`);
      assert.deepEqual([status, type], [200, 'application/json; charset=utf-8']);
      const stats = JSON.parse(body);
      assert.equal(stats.frontend.totalConnections, 1);
      assert.deepEqual(
        [stats.backends[0].id, stats.backends[0].totalConnections, stats.backends[0].bytesSent, stats.backends[0].sharePercent],
        [backend, 1, 12, 100],
      );
    });

    it('GET /metrics answers Prometheus text', async () => {
      const { admin, backend } = await startWithAdmin();
      const { status, type, body } = await httpGet(`${admin}/metrics`);
      assert.deepEqual([status, type], [200, 'text/plain; version=0.0.4; charset=utf-8']);
      assert.match(body, /^# TYPE local_lb_backend_connections_total counter$/m);
      assert.match(body, new RegExp(`^local_lb_backend_connections_total\\{pool="default",backend="${backend}"\\} 1$`, 'm'));
      assert.match(body, new RegExp(`^local_lb_backend_sent_bytes_total\\{pool="default",backend="${backend}"\\} 12$`, 'm'));
      assert.match(body, /^local_lb_frontend_connections_total\{pool="default",frontend="127\.0\.0\.1:\d+"\} 1$/m);
    });

    it('other paths answer 404 with a hint', async () => {
      const { admin } = await startWithAdmin();
      const { status, body } = await httpGet(`${admin}/nope`);
      assert.deepEqual([status, body], [404, 'Not found. Try / (the traffic panel), /stats, /metrics, /traffic, /traffic.har or /pools/{pool}/backends/{id}/toxics.\n']);
    });
  });

  it('--mode http balances each request of a kept-alive client and counts them in /stats and /metrics', async () => {
    const [a, b] = [await httpBackend(cleanup, 'a'), await httpBackend(cleanup, 'b')];
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(a.port), '-p', String(b.port), '--mode', 'http', '--admin', '0', '--quiet']);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    assert.match(cli.output(), /\(round-robin over 2 backends, http mode, handles data path\)/);
    const admin = (await cli.waitFor(/Statistics on (http:\/\/127\.0\.0\.1:\d+)\/stats/))[1];
    const agent = keepAliveClient(cleanup);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await fetchFrom(port, { agent })).text);
    assert.deepEqual(answers, ['a GET /', 'b GET /', 'a GET /', 'b GET /']);
    const stats = JSON.parse((await httpGet(`${admin}/stats`)).body);
    assert.deepEqual([stats.frontend.mode, stats.frontend.totalConnections, stats.frontend.requests.total], ['http', 1, 4]);
    assert.deepEqual(stats.backends.map((backend: { requests: { total: number } }) => backend.requests.total), [2, 2]);
    assert.ok(stats.backends[0].requests.responseMs.p99 > 0);
    const metrics = (await httpGet(`${admin}/metrics`)).body;
    assert.match(metrics, new RegExp(`^local_lb_backend_requests_total\\{pool="default",backend="127\\.0\\.0\\.1:${a.port}",code_class="2xx"\\} 2$`, 'm'));
    assert.match(metrics, new RegExp(`^local_lb_backend_response_seconds_count\\{pool="default",backend="127\\.0\\.0\\.1:${a.port}"\\} 2$`, 'm'));
  });

  it('in HTTP mode each request is logged with its backend, status and time', async () => {
    const a = await httpBackend(cleanup, 'a');
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(a.port), '--mode', 'http', '--health', 'off']);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    await fetchFrom(port, { path: '/cart' });
    await cli.waitFor(new RegExp(`GET /cart from 127\\.0\\.0\\.1:\\d+ to 127\\.0\\.0\\.1:${a.port}: 200 in \\d+ ms`));
    assert.doesNotMatch(cli.output(), /Handling/, 'connection lines are TCP mode\'s');
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, output } = await runToEnd(cleanup, CLI, ['--help']);
    assert.equal(code, 0);
    assert.match(output, /^Usage: local-lb -f PORT -p PORT/);
  });

  it('export haproxy prints a configuration with the backends, weights and strategy given; a bad path exits 2 naming it', async () => {
    const { code, output } = await runToEnd(cleanup, CLI, ['export', 'haproxy', '-f', '8080', '-p', '8101=3', '-p', '8102', '--strategy', 'least-connections']);
    assert.equal(code, 0);
    assert.match(output, /^# Written by Local LB /);
    assert.match(output, /^ {4}balance leastconn$/m);
    assert.match(output, /^ {4}server backend_8101 127\.0\.0\.1:8101 weight 3 check$/m);
    const refused = await runToEnd(cleanup, CLI, ['export', 'nginx', '-f', '8080', '-p', '8101', '--health', 'http:/a;b']);
    assert.equal(refused.code, 2);
    assert.match(refused.output, /Cannot export the health check path "\/a;b"/);
  });

  it('--version prints the package version', async () => {
    assert.deepEqual(await runToEnd(cleanup, CLI, ['--version']), { code: 0, output: `local-lb ${version}\n` });
  });
});
