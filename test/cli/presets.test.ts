// `local-lb --preset NAME --replicas 3`: real apps of every preset (Flask, FastAPI, Django, gunicorn,
// Node, npm with Express, Go) started as three copies, each answering through the balancer in turn
// with its own port, and stopped with local-lb, process groups and all.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { httpGet } from '../support/http';
import { Cleanup, waitFor } from '../support/net';
import { ensureInstalled } from '../support/prerequisites';
import { childPids, groupMembers, launchBasePort, pythonWith } from '../support/processGroups';
import { ROOT, runToEnd, start } from '../support/process';

const CLI = 'dist/cli.js';
const APPS = join(ROOT, 'test', 'fixtures', 'apps');

interface PresetCase {
  preset: string;
  folder: string;
  /** The Python modules it needs, to choose the interpreter that has them. */
  modules?: string[];
  extra?: string[];
  /** What copy on `port` answers. */
  answer(port: number): string;
}

const CASES: PresetCase[] = [
  { preset: 'flask', folder: join(ROOT, 'samples', 'flask'), modules: ['flask'], extra: ['--env', 'MSG=hello from Flask on port {port}'], answer: (port) => `hello from Flask on port ${port}` },
  { preset: 'fastapi', folder: join(ROOT, 'samples', 'fastapi'), modules: ['fastapi', 'uvicorn'], answer: (port) => `hello from FastAPI on port ${port}` },
  { preset: 'django', folder: join(APPS, 'django'), modules: ['django'], answer: (port) => `hello from Django on port ${port}` },
  { preset: 'gunicorn', folder: join(APPS, 'gunicorn'), modules: ['gunicorn'], answer: (port) => `hello from gunicorn on port ${port}` },
  { preset: 'node', folder: join(APPS, 'node'), answer: (port) => `hello from Node on port ${port}` },
  { preset: 'npm', folder: join(ROOT, 'samples', 'express'), answer: (port) => `hello from Express on port ${port}` },
  { preset: 'go', folder: join(APPS, 'go'), answer: (port) => `hello from Go on port ${port}` },
];

describe('local-lb --preset: real apps of every preset', function () {
  // `go run` compiles first; Django and FastAPI take a second or two to import.
  this.timeout(120_000);
  const cleanup = new Cleanup();
  before(() => ensureInstalled('frameworks'));
  afterEach(() => cleanup.run());

  for (const app of CASES) {
    it(`${app.preset}: three copies answer in turn through the balancer, each on its own port, and stop with local-lb, process groups and all`, async () => {
      const base = launchBasePort();
      const python = app.modules ? ['--python', pythonWith(...app.modules)] : [];
      const args = ['-f', '0', '--quiet', '--preset', app.preset, '--replicas', '3', '--base-port', String(base), '--cwd', app.folder, ...python, ...(app.extra ?? [])];
      const cli = start(cleanup, CLI, args);
      cleanup.add(() => {
        for (const pid of childPids(cli.child.pid as number)) process.kill(-pid, 'SIGKILL');
      });
      const port = Number((await cli.waitFor(/Listening on 127\.0\.0\.1:(\d+)/, 90_000))[1]);
      const copies = (await cli.waitFor(/Launched 3 copies of \S+ on ([:\d, ]+)$/m))[1].split(', ').map((text) => Number(text.slice(1)));
      const groups = childPids(cli.child.pid as number);
      assert.equal(groups.length, 3, cli.output());

      const answers: string[] = [];
      for (let i = 0; i < 6; i++) answers.push((await httpGet(`http://127.0.0.1:${port}/`)).body);
      assert.deepEqual(answers, [...copies, ...copies].map(app.answer));

      cli.child.kill('SIGTERM');
      assert.deepEqual(await cli.exited, { code: 0, signal: null });
      await waitFor('every process of every copy gone', () => groups.every((group) => groupMembers(group).length === 0));
    });
  }

  it('a preset whose module is missing exits 1 naming the module and how to install it, and starts nothing', async () => {
    const { code, output } = await runToEnd(cleanup, CLI, ['-f', '0', '--preset', 'fastapi:nowhere', '--cwd', join(ROOT, 'samples', 'fastapi')]);
    assert.equal(code, 1, output);
    assert.match(output, /FastAPI's preset needs the file nowhere\.py, which is not in .*samples\/fastapi/);
  });

  it('a preset in a folder without what it needs exits 1 naming it', async () => {
    for (const [preset, message] of [
      ['django', /Django's preset needs the file manage\.py/],
      ['npm', /npm's preset needs a package\.json with a "start" script/],
      ['go', /Go's preset needs the file go\.mod/],
    ] as const) {
      const { code, output } = await runToEnd(cleanup, CLI, ['-f', '0', '--preset', preset, '--cwd', join(APPS, 'node')]);
      assert.equal(code, 1, output);
      assert.match(output, message);
    }
  });

  it('a Python that cannot import the framework is named, with the package to install', async () => {
    const { code, output } = await runToEnd(cleanup, CLI, ['-f', '0', '--preset', 'django', '--cwd', join(APPS, 'django'), '--python', process.execPath]);
    assert.equal(code, 1, output);
    assert.match(output, /Django's preset needs the Python module django, which .* cannot import: apt-get install python3-django, or pip install django/);
  });

  it('an unknown preset or a missing folder is refused, naming it', async () => {
    const unknown = await runToEnd(cleanup, CLI, ['-f', '0', '--preset', 'rails']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.output, /Invalid --preset "rails": expected one of flask, fastapi, django, gunicorn, node, npm, go/);
    const folder = await runToEnd(cleanup, CLI, ['-f', '0', '--preset', 'go', '--cwd', '/no/such/folder']);
    assert.equal(folder.code, 1);
    assert.match(folder.output, /The launch folder "\/no\/such\/folder" does not exist/);
  });
});
