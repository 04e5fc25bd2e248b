// `npm run bench`, tried as a new user would: a short run prints its ratios, exits, and leaves no
// process, listening port or file behind (nginx's workers used to outlive it and hold it forever).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from '../support/net';
import { ensureInstalled } from '../support/prerequisites';
import { runToEnd } from '../support/process';

/** Pids of the processes a bench starts: nginx, HAProxy, wrk, local-lb and the node floor proxy. */
function benchProcesses(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (/nginx|haproxy|^wrk |dist\/cli\.js|bench-node-floor/.test(command)) pids.add(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** TCP ports something listens on, IPv4 and IPv6. */
function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') ports.add(parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports;
}

/** The bench's temporary folders: nginx's root (with its big file) and HAProxy's configuration. */
function benchFolders(): Set<string> {
  const ours = (folder: string): string[] => readdirSync(folder).filter((name) => name.startsWith('local-lb-')).map((name) => join(folder, name));
  return new Set([...ours('/dev/shm'), ...ours(tmpdir())]);
}

const added = <T>(after: Set<T>, before: Set<T>): T[] => [...after].filter((item) => !before.has(item));

describe('npm run bench', function () {
  this.timeout(180_000);
  const cleanup = new Cleanup();
  after(() => cleanup.run());

  before(() => ensureInstalled('bench-tools'));

  it('a short run prints its ratios, exits 0 and leaves no process, port or folder behind', async () => {
    const processes = benchProcesses();
    const ports = listeningPorts();
    const folders = benchFolders();
    const { code, output } = await runToEnd(cleanup, 'dist/bench.js', ['keepalive'], { BENCH_ROUNDS: '1', BENCH_SECONDS: '1' });
    rmSync(join(process.cwd(), 'bench-results.json'), { force: true });
    assert.equal(code, 0, output);
    assert.match(output, /^Backend: nginx on :\d+; HAProxy installed$/m);
    assert.match(output, /^keepalive_vs_haproxy=\d+\.\d\d /m);
    assert.deepEqual(added(benchProcesses(), processes), [], 'processes left running');
    assert.deepEqual(added(listeningPorts(), ports), [], 'ports left listening');
    assert.deepEqual(added(benchFolders(), folders), [], 'folders left behind');
  });
});
