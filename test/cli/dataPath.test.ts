import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Cleanup, exchange, namedBackend } from '../support/net';
import { httpGet } from '../support/http';
import { ROOT, start, type Running } from '../support/process';

const CLI = 'dist/cli.js';
const LISTENING = /Listening on 127\.0\.0\.1:(\d+) \(.*, (\w+) data path\)/;
const FALLBACK = /The handles data path cannot serve in this Node v[\d.]+: (.*)\. net\.Socket copies the bytes instead\./g;

describe('choice of data path', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** The CLI over one backend, with an admin port; `handles` breaks the stream-handle bindings as a changed Node would. */
  async function run(args: string[], handles?: 'missing' | 'broken'): Promise<{ cli: Running; port: number; path: string; stats: () => Promise<{ frontend: { dataPath?: string } }> }> {
    const backend = await namedBackend(cleanup, 'a');
    const env = handles ? { NODE_OPTIONS: `--require ${join(ROOT, 'out/test/support/breakHandles.js')}`, LOCAL_LB_TEST_HANDLES: handles } : {};
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(backend.port), '--admin', '0', '--quiet', ...args], env);
    const [, port, path] = await cli.waitFor(LISTENING);
    const admin = Number((await cli.waitFor(/Statistics on http:\/\/127\.0\.0\.1:(\d+)\/stats/))[1]);
    return { cli, port: Number(port), path, stats: async () => JSON.parse((await httpGet(`http://127.0.0.1:${admin}/stats`)).body) };
  }

  it('by default the handles serve, and the log and /stats say so', async () => {
    const { port, path, stats } = await run([]);
    assert.equal(path, 'handles');
    assert.equal(await exchange(port, 'x'), 'a:x');
    assert.equal((await stats()).frontend.dataPath, 'handles');
  });

  it('--data-path sockets serves on net.Socket, and the log and /stats say so', async () => {
    const { port, path, stats } = await run(['--data-path', 'sockets']);
    assert.equal(path, 'sockets');
    assert.equal(await exchange(port, 'x'), 'a:x');
    assert.equal((await stats()).frontend.dataPath, 'sockets');
  });

  it('without the stream-handle bindings, sockets serve and the log says why, once', async () => {
    const { cli, port, path, stats } = await run([], 'missing');
    assert.equal(path, 'sockets');
    assert.equal(await exchange(port, 'x'), 'a:x');
    assert.equal((await stats()).frontend.dataPath, 'sockets');
    assert.deepEqual([...cli.output().matchAll(FALLBACK)].map((match) => match[1]), ['process.binding is not available (No such module: tcp_wrap)']);
  });

  it('when the bindings load but the self-test fails, sockets serve and the log names the failure', async () => {
    const { cli, port, path } = await run([], 'broken');
    assert.equal(path, 'sockets');
    assert.equal(await exchange(port, 'x'), 'a:x');
    assert.match(cli.output(), /The handles data path cannot serve in this Node v[\d.]+: its self-test failed \(write EPIPE\)/);
  });

  it('a self-test that failed at one start is tried again at the next, and the handles serve once it passes', () => {
    const engine = JSON.stringify(join(ROOT, 'out/src/balancer/index.js'));
    const script = `const { LoadBalancer } = require(${engine});
      (async () => {
        const balancer = new LoadBalancer({ port: 0, backends: [], health: false });
        for (let i = 0; i < 2; i++) {
          await balancer.start();
          console.log(balancer.snapshot().frontend.dataPath);
          await balancer.stop();
        }
      })();`;
    const env = { ...process.env, NODE_OPTIONS: `--require ${join(ROOT, 'out/test/support/breakHandles.js')}`, LOCAL_LB_TEST_HANDLES: 'brokenOnce' };
    const served = execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 20_000 });
    assert.deepEqual(served.trim().split('\n'), ['sockets', 'handles']);
  });

  it('--data-path handles where the handles cannot serve exits 1, says why, and binds nothing', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const env = { NODE_OPTIONS: `--require ${join(ROOT, 'out/test/support/breakHandles.js')}`, LOCAL_LB_TEST_HANDLES: 'missing' };
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(backend.port), '--data-path', 'handles'], env);
    assert.equal((await cli.exited).code, 1);
    assert.match(cli.output(), /local-lb: The handles data path cannot serve in this Node v[\d.]+: process\.binding is not available .*Use the sockets data path\./);
    assert.doesNotMatch(cli.output(), /Listening/);
  });

  it('an unknown data path exits 2 and names it', async () => {
    const cli = start(cleanup, CLI, ['-f', '0', '-p', '8101', '--data-path', 'fast']);
    assert.equal((await cli.exited).code, 2);
    assert.match(cli.output(), /Unknown data path "fast": expected one of auto, handles, sockets\./);
  });
});
