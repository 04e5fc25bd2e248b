// `local-lb -f 0 --launch COMMAND --replicas N`: copies of any app started as backends, balanced,
// marked down the moment one exits, and stopped with local-lb, process groups and all.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePorts } from '../../src/balancer/freePort';
import { httpGet } from '../support/http';
import { Cleanup, waitFor } from '../support/net';
import { childPids as children, groupMembers, launchBasePort } from '../support/processGroups';
import { runToEnd, start, type Running } from '../support/process';

const CLI = 'dist/cli.js';
/** Listens on the port given in PORT, answering `copy PORT`. */
const LISTEN = `require('http').createServer((q, s) => s.end('copy ' + process.env.PORT)).listen(process.env.PORT, '127.0.0.1')`;
/** A one-line app. */
const APP = `node -e "${LISTEN}"`;

describe('local-lb --launch', function () {
  this.timeout(30_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function launched(args: string[]): Promise<{ cli: Running; port: number; copies: number[] }> {
    const base = launchBasePort();
    const health = args.includes('--health-interval') ? [] : ['--health-interval', '200ms'];
    const cli = start(cleanup, CLI, ['-f', '0', '--quiet', ...health, '--base-port', String(base), ...args]);
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
    await waitFor('every copy gone', () => pids.every((pid) => groupMembers(pid).length === 0));
  });

  it('a local-lb killed with SIGKILL takes its copies along: their process groups end within seconds', async () => {
    const { cli } = await launched(['--launch', APP, '--replicas', '2']);
    const groups = children(cli.child.pid as number);
    assert.equal(groups.length, 2);
    cli.child.kill('SIGKILL');
    await cli.exited;
    await waitFor('every copy gone', () => groups.every((group) => groupMembers(group).length === 0), 10_000);
  });

  it('arguments are data, not shell: $(…), ; and backticks reach the app as text', async () => {
    const { cli } = await launched(['--launch', `node -e "console.log(process.argv[1]); ${LISTEN}" '$(touch /tmp/never); echo \`id\`'`]);
    await cli.waitFor(/^app\.1 \| \$\(touch \/tmp\/never\); echo `id`$/m);
  });

  it('bad flags exit 2 naming them: replicas out of range, --replicas alone, an unclosed quote', async () => {
    for (const [args, message] of [
      [['-f', '0', '--launch', APP, '--replicas', '40'], /Invalid --replicas "40": expected 1 to 32 copies/],
      [['-f', '0', '-p', '8101', '--replicas', '3'], /--replicas goes with --launch, --preset or --procfile/],
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

  it('a Procfile copy killed mid-run is marked down at its exit, long before a health check, and --restart brings it back', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-procfile-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const procfile = join(folder, 'Procfile');
    writeFileSync(procfile, `web: ${APP}\nworker: node -e "setInterval(() => {}, 1000)"\n`);
    const [admin] = await findFreePorts(1);
    // Health checks every 60 s: only the exit itself can mark the copy down in this test's time.
    const { cli, copies } = await launched(['--procfile', procfile, '--replicas', 'web=2', '--restart', '--health-interval', '60s', '--admin', String(admin)]);
    await cli.waitFor(/Statistics on/);
    const stateOf = async (port: number): Promise<string> => {
      const stats = JSON.parse((await httpGet(`http://127.0.0.1:${admin}/stats`)).body) as { backends: Array<{ port: number; state: string }> };
      return stats.backends.find((backend) => backend.port === port)?.state ?? 'missing';
    };
    const [web1] = children(cli.child.pid as number);
    const killed = Date.now();
    process.kill(-web1, 'SIGKILL');
    let state = await stateOf(copies[0]);
    while (state !== 'down' && Date.now() - killed < 5000) state = await stateOf(copies[0]);
    const downAfterMs = Date.now() - killed;
    assert.equal(state, 'down');
    assert.match(cli.output(), /web\.1 \(port \d+\) was killed by SIGKILL: it takes no traffic; started again in 1 s/);
    console.log(`      (web.1 marked down ${downAfterMs} ms after SIGKILL)`);
    await cli.waitFor(/web\.1 \(port \d+\) is back \(restart 1\): it takes traffic again/);
    assert.equal(await stateOf(copies[0]), 'up');
  });

  it('a --config pool\'s launch starts its copies as that pool\'s backends, named by the pool', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-config-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const base = launchBasePort();
    const [frontend] = await findFreePorts(1);
    const config = join(folder, 'pools.json');
    writeFileSync(config, JSON.stringify({ pools: [{ name: 'web', frontend: { port: frontend }, launch: { command: ['node', '-e', LISTEN], replicas: 2, basePort: base } }] }));
    const cli = start(cleanup, CLI, ['--config', config, '--quiet']);
    cleanup.add(() => {
      for (const pid of children(cli.child.pid as number)) process.kill(-pid, 'SIGKILL');
    });
    const ports = (await cli.waitFor(/\[web\] Launched 2 copies of web on ([:\d, ]+)$/m))[1].split(', ').map((text) => Number(text.slice(1)));
    await cli.waitFor(/Listening/);
    const answers = [(await httpGet(`http://127.0.0.1:${frontend}/`)).body, (await httpGet(`http://127.0.0.1:${frontend}/`)).body];
    assert.deepEqual(answers, ports.map((port) => `copy ${port}`));
  });

  it('a --config pool\'s bad launch exits 2 naming the pool and the field', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-config-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const config = join(folder, 'pools.json');
    writeFileSync(config, JSON.stringify({ pools: [{ name: 'web', frontend: { port: 0 }, launch: { preset: 'fastapi', replicas: 99 } }] }));
    const { code, output } = await runToEnd(cleanup, CLI, ['--config', config]);
    assert.equal(code, 2, output);
    assert.match(output, /pools\.json": Invalid pool "web": launch\.replicas 99: expected 1 to 32 copies/);
  });

  it('--check says what each pool launches, and starts nothing', async () => {
    const { code, output } = await runToEnd(cleanup, CLI, ['-f', '0', '--preset', 'fastapi:api', '--replicas', '3', '--restart', '--check']);
    assert.equal(code, 0, output);
    assert.match(output, /^ {2}launches 3 copies of fastapi \(api\) from :8101, balanced, restarted when they exit$/m);
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
