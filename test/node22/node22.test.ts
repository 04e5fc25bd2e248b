// The engine's, the CLI's and the fault suites, run again on Node 22 (what newer VS Code releases ship).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureInstalled } from '../support/prerequisites';
import { ROOT } from '../support/process';

const SUITES = ['out/test/balancer/**/*.test.js', 'out/test/http/**/*.test.js', 'out/test/traffic/**/*.test.js', 'out/test/faults/**/*.test.js', 'out/test/cli/**/*.test.js'];

describe('on Node 22', function () {
  this.timeout(600_000);
  let node22 = '';

  before(function () {
    node22 = ensureInstalled('node22').trim().split('\n').pop() ?? '';
  });

  it('the engine, CLI and fault suites all pass, the handles data path among them', async () => {
    const version = spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout.trim();
    assert.match(version, /^v22\./);
    const child = spawn(node22, [join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'), ...SUITES], { cwd: ROOT, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const summary = /^mocha: (\d+) passed, (\d+) failed/m.exec(output);
    assert.ok(summary, `no summary from mocha on Node ${version}:\n${output.slice(-4000)}`);
    console.log(`      Node ${version}: ${summary[1]} passed, ${summary[2]} failed`);
    assert.equal(summary[2], '0', output.slice(-8000));
    assert.equal(code, 0);
    assert.match(output, /by default the handles serve, and the log and \/stats say so/);
  });
});
