// The exports are real configurations: HAProxy and nginx accept them, and, started from them,
// balance three backends as Local LB does.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportConfig, LoadBalancer, type BalancerOptions, type ExportTarget, type Mode } from '../../src/balancer';
import { findFreePorts } from '../../src/balancer/freePort';
import { fetchFrom, httpBackend } from '../support/httpServers';
import { Cleanup, delay, exchange, HOST, namedBackend, waitFor } from '../support/net';
import { ensureInstalled } from '../support/prerequisites';

const HEALTH = { type: 'tcp', intervalMs: 200, timeoutMs: 200, rise: 1, fall: 1 } as const;
const STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';

/** The configuration file of `target` for `options`, in a folder of its own. */
function configFile(cleanup: Cleanup, target: ExportTarget, options: BalancerOptions): { folder: string; file: string } {
  const folder = mkdtempSync(join(tmpdir(), `local-lb-${target}-`));
  chmodSync(folder, 0o755);
  cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
  const file = join(folder, target === 'haproxy' ? 'haproxy.cfg' : 'nginx.conf');
  writeFileSync(file, exportConfig(target, options, 'test'));
  if (target !== 'nginx' || options.mode === 'http') return { folder, file };
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

  /** Starts `engine` from the export of `options`, until the test ends. */
  async function run(engine: 'haproxy' | 'nginx', options: BalancerOptions): Promise<void> {
    const { folder, file } = configFile(cleanup, engine, options);
    const [program, ...args] = command(engine, folder, file, false);
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk));
    cleanup.add(() => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))));
    await waitFor(`${engine} to listen on ${options.port}`, () => {
      if (child.exitCode !== null) throw new Error(`${engine} exited with ${child.exitCode}: ${errors}`);
      return spawnSync('bash', ['-c', `exec 3<>/dev/tcp/${HOST}/${options.port}`]).status === 0;
    }, 10_000);
  }

  before(() => ensureInstalled('bench-tools'));

  for (const target of ['haproxy', 'nginx'] as const) {
    for (const mode of ['tcp', 'http'] as const) {
      for (const strategy of ['round-robin', 'least-connections', 'random', 'source-hash'] as const) {
        it(`${target} accepts the ${mode} mode export with ${strategy}, weights, checks and sticky sessions`, async () => {
          const [port, ...ports] = await findFreePorts(3);
          const options: BalancerOptions = { port, mode, strategy, sticky: mode === 'http', backends: [{ host: HOST, port: ports[0], weight: 3 }, { host: HOST, port: ports[1], name: 'api' }] };
          const { folder, file } = configFile(cleanup, target, options);
          const [program, ...args] = command(target, folder, file, true);
          const checked = spawnSync(program, args, { encoding: 'utf8' });
          assert.equal(checked.status, 0, `${program} ${args.join(' ')}:\n${checked.stdout}${checked.stderr}`);
        });
      }

      it(`${target}, started from the ${mode} mode export, balances three backends as Local LB does: round robin, weights, a down backend skipped`, async () => {
        const backends = await Promise.all(['a', 'b', 'c'].map((name) => (mode === 'http' ? httpBackend(cleanup, name) : namedBackend(cleanup, name))));
        for (const weights of [[1, 1, 1], [3, 1, 1]]) {
          const [port] = await findFreePorts(1);
          const options: BalancerOptions = { port, mode, health: HEALTH, backends: backends.map((backend, i) => ({ host: HOST, port: backend.port, weight: weights[i] })) };
          const ours = new LoadBalancer(options);
          await ours.start();
          const expected = await distribution(port, mode, 30);
          await ours.stop();
          await run(target, options);
          assert.deepEqual(await distribution(port, mode, 30), expected, `${target} with weights ${weights}`);
        }
        // c goes away: after a check or a failed attempt, it gets nothing.
        const [port] = await findFreePorts(1);
        const options: BalancerOptions = { port, mode, health: HEALTH, backends: backends.map((backend) => ({ host: HOST, port: backend.port })) };
        const gone = backends[2];
        if ('close' in gone) await gone.close();
        else {
          gone.server.closeAllConnections();
          await new Promise((resolve) => gone.server.close(resolve));
        }
        await run(target, options);
        await delay(600);
        const tally = await distribution(port, mode, 20);
        assert.equal(tally.c, undefined, JSON.stringify(tally));
        assert.equal((tally.a ?? 0) + (tally.b ?? 0), 20);
      });
    }
  }
});
