// `npm run bench:pools`: what idle pools cost: the time to start 20 pools (three backends each,
// health checks on), the memory each adds once started and checked, and the CPU they use while idle;
// and how fast toxiproxy's API takes 1000 toxics added and removed.
import { Agent, request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { Pools } from '../../src/balancer';
import { startToxiproxyApi, ToxiproxyProxies } from '../../src/toxiproxy';

const POOLS = 20;
const BACKENDS_PER_POOL = 3;
const HEALTH = { type: 'tcp', intervalMs: 2000, timeoutMs: 1000 } as const;
/** Idle time measured: several rounds of health checks. */
const IDLE_MS = 10_000;

const gc = (globalThis as { gc?: () => void }).gc;

function listen(): Promise<Server> {
  const server = createServer((socket) => socket.end());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Heap and RSS after a full collection, in bytes. */
function memory(): { heap: number; rss: number } {
  gc?.();
  gc?.();
  const { heapUsed, external, rss } = process.memoryUsage();
  return { heap: heapUsed + external, rss };
}

const portOf = (server: Server): number => (server.address() as { port: number }).port;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:pools does)');
  const servers = await Promise.all(Array.from({ length: POOLS * BACKENDS_PER_POOL }, listen));
  const pools = new Pools();
  // Everything but the pools is in place: the backends, the engine's code loaded and warmed.
  const warm = pools.add({ name: 'warm', options: { port: 0, backends: [{ host: '127.0.0.1', port: portOf(servers[0]) }], health: HEALTH } });
  await warm.start();
  await pools.remove('warm');
  await sleep(100);
  const before = memory();
  for (let i = 0; i < POOLS; i++) {
    const backends = servers.slice(i * BACKENDS_PER_POOL, (i + 1) * BACKENDS_PER_POOL).map((server) => ({ host: '127.0.0.1', port: portOf(server) }));
    pools.add({ name: `pool${i}`, options: { port: 0, backends, health: HEALTH } });
  }
  const started = performance.now();
  const starts = await pools.startAll();
  const startMs = performance.now() - started;
  const failed = starts.filter((start) => 'error' in start);
  if (failed.length > 0) throw new Error(`${failed.length} pools did not start: ${JSON.stringify(failed[0])}`);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await sleep(IDLE_MS);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallBefore)) * 100;
  const after = memory();
  const kb = (bytes: number): string => `${Math.round(bytes / POOLS / 1024)} KB`;
  console.log(`${POOLS} pools of ${BACKENDS_PER_POOL} backends, tcp health checks every ${HEALTH.intervalMs} ms:`);
  console.log(`  started together in ${startMs.toFixed(0)} ms`);
  console.log(`  each pool, started and checked: ${kb(after.heap - before.heap)} of heap, ${kb(after.rss - before.rss)} of RSS`);
  console.log(`  idle for ${IDLE_MS / 1000} s: ${cpuPercent.toFixed(2)}% of a core for all ${POOLS} (health checks included)`);
  await pools.stopAll();
  console.log(`toxiproxy API: 1000 toxics added and removed, one at a time on a kept-alive connection, in ${(await toxicPairs(portOf(servers[0]), 1000)).toFixed(0)} ms`);
  for (const server of servers) server.close();
}

/** Milliseconds for `count` toxics added and removed through the API, one request after another. */
async function toxicPairs(upstream: number, count: number): Promise<number> {
  const proxies = new ToxiproxyProxies();
  const api = await startToxiproxyApi(proxies, { host: '127.0.0.1', port: 0 }, 'bench');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const call = (method: string, path: string, body?: unknown): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: api.address.port, method, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  await call('POST', '/proxies', { name: 'bench', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream}` });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    if ((await call('POST', '/proxies/bench/toxics', { type: 'latency', attributes: { latency: 10 } })) !== 200) throw new Error('a toxic was refused');
    if ((await call('DELETE', '/proxies/bench/toxics/latency_downstream')) !== 204) throw new Error('a toxic was not removed');
  }
  const ms = performance.now() - started;
  agent.destroy();
  await Promise.all([api.close(), proxies.close()]);
  return ms;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
