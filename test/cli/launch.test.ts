// `local-lb -f 0 --launch COMMAND --replicas N`: copies of any app started as backends, balanced,
// marked down the moment one exits, and stopped with local-lb, process groups and all.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts } from '../../src/balancer/freePort';
import { httpGet } from '../support/http';
import { Cleanup, waitFor } from '../support/net';
import { runToEnd, start, type Running } from '../support/process';

const CLI = 'dist/cli.js';
/** Listens on the port given in PORT, answering `copy PORT`. */
const LISTEN = `require('http').createServer((q, s) => s.end('copy ' + process.env.PORT)).listen(process.env.PORT, '127.0.0.1')`;
/** A one-line app. */
const APP = `node -e "${LISTEN}"`;

/** The processes a local-lb started: its copies. */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

describe('local-lb --launch', function () {
  this.timeout(30_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function launched(args: string[]): Promise<{ cli: Running; port: number; copies: number[] }> {
    const [base] = await findFreePorts(1);
    const cli = start(cleanup, CLI, ['-f', '0', '--quiet', '--health-interval', '200ms', '--base-port', String(base), ...args]);
    cleanup.add(() => {
      for (const pid of children(cli.child.pid as number)) process.kill(-pid, 'SIGKILL');
    });
    const port = Number((await cli.waitFor(/Listening on 127\.0\.0\.1:(\d+)/))[1]);
    const copies = (await cli.waitFor(/Launched \d+ cop(?:y|ies) of \S+(?: app)? on ([:\d, ]+)$/m))[1].split(', ').map((text) => Number(text.slice(1)));
    return { cli, port, copies };
  }

  it('starts the copies on free ports from the base port, each answering through the balancer in turn', async () => {
    const { port, copies } = await launched(['--launch', APP, '--replicas', '3']);
    assert.equal(copies.length, 3);
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await httpGet(`http://127.0.0.1:${port}/`)).body);
    assert.deepEqual(answers, [...copies, ...copies].map((copyPort) => `copy ${copyPort}`));
  });

  it('each copy\'s output lines start with its name and number', async () => {
    const { cli } = await launched(['--launch', `node -e "console.log('ready on', process.env.PORT); ${LISTEN}"`, '--replicas', '2']);
    await cli.waitFor(/^app\.1 \| ready on \d+$/m);
    await cli.waitFor(/^app\.2 \| ready on \d+$/m);
  });

  it('a copy that exits is marked down at once, and the others take its share', async () => {
    const { cli, port, copies } = await launched(['--launch', APP, '--replicas', '3']);
    const [first] = children(cli.child.pid as number);
    process.kill(-first, 'SIGKILL');
    await cli.waitFor(/app\.1 \(port \d+\) was killed by SIGKILL: it takes no traffic/);
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add((await httpGet(`http://127.0.0.1:${port}/`)).body);
    assert.deepEqual([...answers].sort(), copies.slice(1).map((copyPort) => `copy ${copyPort}`).sort());
  });

  it('--restart starts a copy that exits again, after a second, and it takes traffic again once it accepts', async () => {
    const { cli, port, copies } = await launched(['--launch', APP, '--replicas', '2', '--restart']);
    const [first] = children(cli.child.pid as number);
    process.kill(-first, 'SIGKILL');
    await cli.waitFor(/app\.1 \(port \d+\) was killed by SIGKILL: it takes no traffic; started again in 1 s/);
    await cli.waitFor(/app\.1 \(port \d+\) is back \(restart 1\): it takes traffic again/);
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add((await httpGet(`http://127.0.0.1:${port}/`)).body);
    assert.deepEqual([...answers].sort(), copies.map((copyPort) => `copy ${copyPort}`).sort());
  });

  it('SIGTERM stops every copy\'s process group before local-lb exits', async () => {
    const { cli } = await launched(['--launch', APP, '--replicas', '2']);
    const pids = children(cli.child.pid as number);
    assert.equal(pids.length, 2);
    cli.child.kill('SIGTERM');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
    await waitFor('every copy gone', () => !pids.some(alive));
  });

  it('arguments are data, not shell: $(…), ; and backticks reach the app as text', async () => {
    const { cli } = await launched(['--launch', `node -e "console.log(process.argv[1]); ${LISTEN}" '$(touch /tmp/never); echo \`id\`'`]);
    await cli.waitFor(/^app\.1 \| \$\(touch \/tmp\/never\); echo `id`$/m);
  });

  it('bad flags exit 2 naming them: replicas out of range, --replicas alone, an unclosed quote', async () => {
    for (const [args, message] of [
      [['-f', '0', '--launch', APP, '--replicas', '40'], /Invalid --replicas "40": expected 1 to 32 copies/],
      [['-f', '0', '-p', '8101', '--replicas', '3'], /--replicas goes with --launch or --procfile/],
      [['-f', '0', '--launch', 'node -e "oops'], /a " quote is not closed/],
    ] as const) {
      const { code, output } = await runToEnd(cleanup, CLI, args);
      assert.equal(code, 2, output);
      assert.match(output, message);
    }
  });

  it('--procfile: copies of web balanced on $PORT, the other type once beside them, each line named', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-procfile-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const procfile = join(folder, 'Procfile');
    writeFileSync(
      procfile,
      [
        '# a web type and a worker, as foreman reads them',
        `web: node -e "require('http').createServer((q, s) => s.end('web ' + process.argv[1])).listen(process.argv[1], '127.0.0.1')" $PORT`,
        `worker: node -e "console.log('working'); setInterval(() => {}, 1000)"`,
        '',
      ].join('\n'),
    );
    const { cli, port, copies } = await launched(['--procfile', procfile, '--replicas', 'web=2']);
    assert.equal(copies.length, 2);
    await cli.waitFor(/^worker\.1 \| working$/m);
    assert.match(cli.output(), /Launched 1 copy of worker on :\d+, not balanced/);
    assert.match(cli.output(), /round-robin over 2 backends/);
    const answers = [(await httpGet(`http://127.0.0.1:${port}/`)).body, (await httpGet(`http://127.0.0.1:${port}/`)).body];
    assert.deepEqual(answers, copies.map((copyPort) => `web ${copyPort}`));
  });

  it('a Procfile line that is not "name: command" exits 2 naming the file and the line', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-procfile-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const procfile = join(folder, 'Procfile');
    writeFileSync(procfile, 'web: node app.js\nthis is not a process type\n');
    const { code, output } = await runToEnd(cleanup, CLI, ['-f', '0', '--procfile', procfile]);
    assert.equal(code, 2);
    assert.match(output, /The Procfile ".*Procfile", line 2: expected "name: command"/);
  });
});
