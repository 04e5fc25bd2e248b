// `local-lb --config FILE`: several pools in one process, each balancing its own backends, each
// failing alone, each in /stats, /metrics, the fault API, the traffic panel's data and the export.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup, closedPort, exchange, listen, namedBackend, type TestServer } from '../support/net';
import { adminCall, httpGet } from '../support/http';
import { runToEnd, start, type Running } from '../support/process';

const CLI = 'dist/cli.js';

/** Three pools' backends: web on a, b, c; api on d, e; auth on f. */
const BACKENDS = { web: ['a', 'b', 'c'], api: ['d', 'e'], auth: ['f'] } as const;
type PoolName = keyof typeof BACKENDS;

describe('local-lb --config: several pools', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** Writes `config` as JSON to a file of its own, removed after the test. */
  function configFile(config: unknown): string {
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-config-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const file = join(folder, 'pools.json');
    writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
    return file;
  }

  /** Every pool's backends, started. */
  async function backends(): Promise<Record<PoolName, TestServer[]>> {
    const started = async (names: readonly string[]): Promise<TestServer[]> => Promise.all(names.map((name) => namedBackend(cleanup, name)));
    return { web: await started(BACKENDS.web), api: await started(BACKENDS.api), auth: await started(BACKENDS.auth) };
  }

  /** `local-lb --config` for the three pools (free ports, no health checks unless told), and each pool's port once it listens. */
  async function runPools(servers: Record<PoolName, TestServer[]>, args: string[] = [], port: Partial<Record<PoolName, number>> = {}): Promise<{ cli: Running; ports: Partial<Record<PoolName, number>> }> {
    const pools = (Object.keys(servers) as PoolName[]).map((name) => ({
      name,
      frontend: { port: port[name] ?? 0 },
      backends: servers[name].map((server) => server.port),
      healthCheck: { type: 'off' },
    }));
    const cli = start(cleanup, CLI, ['--config', configFile({ pools }), '--quiet', ...args]);
    const ports: Partial<Record<PoolName, number>> = {};
    for (const name of Object.keys(servers) as PoolName[]) {
      if (port[name] !== undefined) continue;
      ports[name] = Number((await cli.waitFor(new RegExp(`\\[${name}\\] Listening on 127\\.0\\.0\\.1:(\\d+)`)))[1]);
    }
    return { cli, ports };
  }

  /** What `count` connections to `port` got, one after another. */
  async function replies(port: number, count: number): Promise<string[]> {
    const got: string[] = [];
    for (let i = 0; i < count; i++) got.push(await exchange(port, String(i)));
    return got;
  }

  it('three pools from a config file each balance their own backends exactly, in turn', async () => {
    const { ports } = await runPools(await backends());
    assert.deepEqual(await replies(ports.web as number, 6), ['a:0', 'b:1', 'c:2', 'a:3', 'b:4', 'c:5']);
    assert.deepEqual(await replies(ports.api as number, 4), ['d:0', 'e:1', 'd:2', 'e:3']);
    assert.deepEqual(await replies(ports.auth as number, 2), ['f:0', 'f:1']);
  });

  it('a port conflict in one pool is named with the pool, and the other two serve', async () => {
    const taken = await listen(cleanup, () => {});
    const { cli, ports } = await runPools(await backends(), [], { web: taken.port });
    await cli.waitFor(new RegExp(`local-lb: Pool "web": Port ${taken.port} is already in use`));
    assert.deepEqual([await exchange(ports.api as number, 'x'), await exchange(ports.auth as number, 'y')], ['d:x', 'f:y']);
  });

  it('a fault and a killed backend in one pool leave the other pools serving every backend', async () => {
    const servers = await backends();
    const { ports, cli } = await runPools(servers, ['--admin', '0']);
    const admin = Number((await cli.waitFor(/Statistics on http:\/\/127\.0\.0\.1:(\d+)\/stats/))[1]);
    const [a, b] = servers.web;
    const added = await adminCall(admin, 'POST', `/pools/web/backends/127.0.0.1:${a.port}/toxics`, { type: 'reset_peer', attributes: { timeout: 0 } });
    assert.equal(added.status, 200, added.body);
    await b.close();
    // web: a resets, b is gone, c serves; api and auth: untouched.
    assert.deepEqual(await replies(ports.api as number, 2), ['d:0', 'e:1']);
    assert.deepEqual(await replies(ports.auth as number, 1), ['f:0']);
    const faults = await adminCall(admin, 'GET', `/pools/api/backends/127.0.0.1:${servers.api[0].port}/toxics`);
    assert.deepEqual([faults.status, JSON.parse(faults.body)], [200, []]);
  });

  it('/stats lists every pool with its frontend and backends; without a pool "default", nothing else', async () => {
    const servers = await backends();
    const { ports, cli } = await runPools(servers, ['--admin', '0']);
    const admin = (await cli.waitFor(/Statistics on (http:\/\/127\.0\.0\.1:\d+)\/stats/))[1];
    await exchange(ports.api as number, 'x');
    const stats = JSON.parse((await httpGet(`${admin}/stats`)).body);
    assert.deepEqual(Object.keys(stats), ['pools']);
    assert.deepEqual(
      stats.pools.map((pool: { name: string; frontend: { port: number; totalConnections: number }; backends: Array<{ port: number }> }) => [pool.name, pool.frontend.port, pool.frontend.totalConnections, pool.backends.map((backend) => backend.port)]),
      (['web', 'api', 'auth'] as const).map((name) => [name, ports[name], name === 'api' ? 1 : 0, servers[name].map((server) => server.port)]),
    );
  });

  it('/metrics labels every series with its pool', async () => {
    const servers = await backends();
    const { ports, cli } = await runPools(servers, ['--admin', '0']);
    const admin = (await cli.waitFor(/Statistics on (http:\/\/127\.0\.0\.1:\d+)\/stats/))[1];
    await exchange(ports.auth as number, 'x');
    const metrics = (await httpGet(`${admin}/metrics`)).body;
    assert.match(metrics, new RegExp(`^local_lb_backend_connections_total\\{pool="auth",backend="127\\.0\\.0\\.1:${servers.auth[0].port}"\\} 1$`, 'm'));
    assert.match(metrics, new RegExp(`^local_lb_frontend_connections_total\\{pool="web",frontend="127\\.0\\.0\\.1:${ports.web}"\\} 0$`, 'm'));
  });

  it('/traffic gives the pool asked for, names every pool, and refuses an unknown one naming the pools', async () => {
    const { ports, cli } = await runPools(await backends(), ['--admin', '0']);
    const admin = (await cli.waitFor(/Statistics on (http:\/\/127\.0\.0\.1:\d+)\/stats/))[1];
    await exchange(ports.api as number, 'x');
    const api = JSON.parse((await httpGet(`${admin}/traffic?pool=api`)).body);
    assert.deepEqual([api.pool, api.pools, api.backends.length], ['api', ['web', 'api', 'auth'], 2]);
    const first = JSON.parse((await httpGet(`${admin}/traffic`)).body);
    assert.equal(first.pool, 'web', 'without a pool "default", the first');
    const unknown = await httpGet(`${admin}/traffic?pool=nope`);
    assert.deepEqual([unknown.status, unknown.body], [404, 'Unknown pool "nope". The pools are web, api, auth.\n']);
  });

  it('the fault API\'s paths without a pool answer 404 naming the pools when there is no pool "default"', async () => {
    const { cli } = await runPools(await backends(), ['--admin', '0']);
    const admin = Number((await cli.waitFor(/Statistics on http:\/\/127\.0\.0\.1:(\d+)\/stats/))[1]);
    const answer = await adminCall(admin, 'GET', '/backends/127.0.0.1:1/toxics');
    assert.deepEqual([answer.status, JSON.parse(answer.body).error], [404, 'There is no pool "default": name the pool, as in /pools/{pool}/backends/{id}/toxics. The pools are web, api, auth.']);
    const unknown = await adminCall(admin, 'GET', '/pools/nope/backends/127.0.0.1:1/toxics');
    assert.equal(unknown.status, 404);
  });

  it('--fault POOL/BACKEND applies to that pool from the start', async () => {
    const servers = await backends();
    const [d] = servers.api;
    const { ports, cli } = await runPools(servers, ['--fault', `api/${d.port}:latency,latency=1s`]);
    assert.match(cli.output(), new RegExp(`^\\S+ \\S+ \\[api\\] Fault latency_downstream on 127\\.0\\.0\\.1:${d.port}: latency 1000 ms`, 'm'));
    assert.doesNotMatch(cli.output(), /\[(web|auth)\] Fault/);
    assert.deepEqual(await replies(ports.web as number, 3), ['a:0', 'b:1', 'c:2']);
  });

  it('--workers 2 serves every pool, and /stats adds up both processes per pool', async () => {
    const servers = await backends();
    const { ports, cli } = await runPools(servers, ['--workers', '2', '--admin', '0']);
    await cli.waitFor(/2 processes accept connections/);
    const admin = (await cli.waitFor(/Statistics on (http:\/\/127\.0\.0\.1:\d+)\/stats/))[1];
    const many = 40;
    await Promise.all(Array.from({ length: many }, (_, i) => exchange(ports.api as number, String(i))));
    await Promise.all(Array.from({ length: many }, (_, i) => exchange(ports.auth as number, String(i))));
    const stats = JSON.parse((await httpGet(`${admin}/stats`)).body) as { pools: Array<{ name: string; frontend: { totalConnections: number } }> };
    assert.deepEqual(stats.pools.map((pool) => [pool.name, pool.frontend.totalConnections]), [['web', 0], ['api', many], ['auth', many]]);
  });

  it('--check prints every pool and exits 0 without listening', async () => {
    const servers = await backends();
    const file = configFile({ pools: [{ name: 'web', frontend: { port: await closedPort() }, backends: [servers.web[0].port, { port: servers.web[1].port, weight: 2 }], mode: 'http', healthCheck: { type: 'http', path: '/health' } }] });
    const { code, output } = await runToEnd(cleanup, CLI, ['--config', file, '--check']);
    assert.equal(code, 0);
    assert.match(output, /^web: 127\.0\.0\.1:\d+, http mode, round-robin, http checks on \/health every 2000 ms$/m);
    assert.match(output, new RegExp(`^  backends: 127\\.0\\.0\\.1:${servers.web[0].port}, 127\\.0\\.0\\.1:${servers.web[1].port} \\(weight 2\\)$`, 'm'));
    assert.doesNotMatch(output, /Listening/);
  });

  it('a bad file exits 2 before anything listens, naming the file, the pool and the field', async () => {
    const port = await closedPort();
    const cases: Array<[config: unknown, message: RegExp]> = [
      ['{"pools": [', /is not JSON/],
      [{ pools: [], extra: 1 }, /has an unknown field "extra": expected pools\./],
      [{ pools: [{ name: 'web', frontend: { port }, backends: [8101], strategy: 'fastest' }] }, /Pool "web", strategy: Unknown strategy "fastest"/],
      [{ pools: [{ name: 'web', frontend: { port }, backends: [8101], colour: 'red' }] }, /Pool 1 has an unknown field "colour"/],
      [{ pools: [{ name: 'web', frontend: { port }, backends: [8101] }, { name: 'web', frontend: { port: port + 1 }, backends: [8102] }] }, /Pools 1 and 2 are both named "web"/],
      [{ pools: [{ name: 'web', frontend: { port }, backends: [8101] }, { name: 'api', frontend: { port }, backends: [8102] }] }, /Pools "web" and "api" both listen on 127\.0\.0\.1:\d+/],
    ];
    for (const [config, message] of cases) {
      const file = configFile(config);
      const { code, output } = await runToEnd(cleanup, CLI, ['--config', file]);
      assert.equal(code, 2, output);
      assert.match(output, new RegExp(`^local-lb: The config file "${file}"`), output);
      assert.match(output, message);
      assert.doesNotMatch(output, /Listening|\n\s+at /);
    }
  });

  it('--config with -f or -p is refused, saying to give one or the other', async () => {
    const { code, output } = await runToEnd(cleanup, CLI, ['--config', 'pools.json', '-p', '8101']);
    assert.equal(code, 2);
    assert.match(output, /^local-lb: --backend describes one pool, and --config reads every pool from the file: give one or the other/);
  });

  it('export writes every pool of the file', async () => {
    const file = configFile({ pools: [{ name: 'web', frontend: { port: 8080 }, backends: [8101] }, { name: 'api', frontend: { port: 9090 }, backends: [9101], mode: 'http' }] });
    const { code, output } = await runToEnd(cleanup, CLI, ['export', 'haproxy', '--config', file]);
    assert.equal(code, 0, output);
    assert.match(output, /^frontend local_lb_web\n {4}mode tcp\n {4}bind 127\.0\.0\.1:8080$/m);
    assert.match(output, /^frontend local_lb_api\n {4}mode http\n {4}bind 127\.0\.0\.1:9090$/m);
  });
});
