// The exports are real configurations: HAProxy and nginx accept them, and, started from them,
// balance three backends as Local LB does.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportConfig, Pools, type BalancerOptions, type ExportTarget, type Mode, type PoolDefinition } from '../../src/balancer';
import { findFreePorts } from '../../src/balancer/freePort';
import { fetchFrom, httpBackend } from '../support/httpServers';
import { Cleanup, delay, exchange, HOST, namedBackend, waitFor } from '../support/net';
import { ensureInstalled } from '../support/prerequisites';

const HEALTH = { type: 'tcp', intervalMs: 200, timeoutMs: 200, rise: 1, fall: 1 } as const;
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

/** The configuration file of `target` for `pools`, in a folder of its own. */
function configFile(cleanup: Cleanup, target: ExportTarget, pools: PoolDefinition[]): { folder: string; file: string } {
  const folder = mkdtempSync(join(tmpdir(), `local-lb-${target}-`));
  chmodSync(folder, 0o755);
  cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, target === 'haproxy' ? 'haproxy.cfg' : 'nginx.conf');
  writeFileSync(file, exportConfig(target, pools, 'test'));
  if (target !== 'nginx' || pools.every(({ options }) => options.mode === 'http')) return { folder, file };
  // Debian's nginx has TCP proxying as a module, which the export says to load.
  const main = join(folder, 'main.conf');
  writeFileSync(main, `load_module ${STREAM_MODULE};\ninclude ${file};\n`);
  return { folder, file: main };
}

/** How `engine` is checked and run, in the foreground, its files in `folder`. */
function command(target: 'haproxy' | 'nginx', folder: string, file: string, check: boolean): string[] {
  if (target === 'haproxy') return ['haproxy', ...(check ? ['-c'] : ['-db']), '-f', file];
  return ['nginx', ...(check ? ['-t'] : []), '-p', folder, '-c', file, '-g', `daemon off; pid ${join(folder, 'nginx.pid')}; error_log stderr;`];
}

/** Which backend answered each of `count` requests (a new connection each), tallied. */
async function distribution(port: number, mode: Mode, count: number): Promise<Record<string, number>> {
  const tally: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    // An HTTP backend answers `a GET /`, a TCP one `a:hi`.
    const name = (mode === 'http' ? (await fetchFrom(port)).text : await exchange(port, 'hi')).split(/[ :]/)[0];
    tally[name] = (tally[name] ?? 0) + 1;
  }
  return tally;
}

describe('export: HAProxy and nginx run what is exported', function () {
  this.timeout(60_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** Starts `engine` from the export of `pools`, until the test ends. */
  async function run(engine: 'haproxy' | 'nginx', pools: PoolDefinition[]): Promise<void> {
    const { folder, file } = configFile(cleanup, engine, pools);
    const [program, ...args] = command(engine, folder, file, false);
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
    cleanup.add(() => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))));
    for (const { options } of pools) {
      await waitFor(`${engine} to listen on ${options.port}`, () => {
        if (child.exitCode !== null) throw new Error(`${engine} exited with ${child.exitCode}: ${errors}`);
        return spawnSync('bash', ['-c', `exec 3<>/dev/tcp/${HOST}/${options.port}`]).status === 0;
      }, 10_000);
    }
  }

  before(() => ensureInstalled('bench-tools'));

  for (const target of ['haproxy', 'nginx'] as const) {
    for (const mode of ['tcp', 'http'] as const) {
      for (const strategy of ['round-robin', 'least-connections', 'random', 'source-hash'] as const) {
        it(`${target} accepts the ${mode} mode export with ${strategy}, weights, checks and sticky sessions`, async () => {
          const [port, ...ports] = await findFreePorts(3);
          const options: BalancerOptions = { port, mode, strategy, sticky: mode === 'http', backends: [{ host: HOST, port: ports[0], weight: 3 }, { host: HOST, port: ports[1], name: 'api' }] };
          const { folder, file } = configFile(cleanup, target, [{ name: 'default', options }]);
          const [program, ...args] = command(target, folder, file, true);
          const checked = spawnSync(program, args, { encoding: 'utf8' });
          assert.equal(checked.status, 0, `${program} ${args.join(' ')}:\n${checked.stdout}${checked.stderr}`);
        });
      }

      it(`${target}, started from a ${mode} mode export with two pools, balances each pool's backends as Local LB does: round robin, weights, a down backend skipped`, async () => {
        const other: Mode = mode === 'http' ? 'tcp' : 'http';
        const backendOf = (name: string, kind: Mode) => (kind === 'http' ? httpBackend(cleanup, name) : namedBackend(cleanup, name));
        const backends = await Promise.all(['a', 'b', 'c'].map((name) => backendOf(name, mode)));
        const webBackends = backends;
        const apiBackends = await Promise.all(['d', 'e'].map((name) => backendOf(name, other)));
        /** Pool `web` on a, b and c with `weights`, pool `api` on d and e (in the other mode, so that one file holds both). */
        const poolsOf = async (weights: number[]): Promise<PoolDefinition[]> => {
          const [web, api] = await findFreePorts(2);
          return [
            { name: 'web', options: { port: web, mode, health: HEALTH, backends: webBackends.map((backend, i) => ({ host: HOST, port: backend.port, weight: weights[i] })) } },
            { name: 'api', options: { port: api, mode: other, health: HEALTH, backends: apiBackends.map((backend) => ({ host: HOST, port: backend.port })) } },
          ];
        };
        for (const weights of [[1, 1, 1], [3, 1, 1]]) {
          const pools = await poolsOf(weights);
          const ours = new Pools();
          for (const pool of pools) ours.add(pool);
          await ours.startAll();
          const expected = await Promise.all(pools.map(({ options }) => distribution(options.port, options.mode ?? mode, 30)));
          await ours.stopAll();
          await run(target, pools);
          assert.deepEqual(await Promise.all(pools.map(({ options }) => distribution(options.port, options.mode ?? mode, 30))), expected, `${target} with weights ${weights}`);
        }
        // c goes away: after a check or a failed attempt, it gets nothing; api is untouched.
        const pools = await poolsOf([1, 1, 1]);
        const gone = backends[2];
        if ('close' in gone) await gone.close();
        else {
          gone.server.closeAllConnections();
          await new Promise((resolve) => gone.server.close(resolve));
        }
        await run(target, pools);
        await delay(600);
        const tally = await distribution(pools[0].options.port, mode, 20);
        assert.equal(tally.c, undefined, JSON.stringify(tally));
        assert.equal((tally.a ?? 0) + (tally.b ?? 0), 20);
        assert.deepEqual(await distribution(pools[1].options.port, other, 4), { d: 2, e: 2 });
      });
    }
  }
});
