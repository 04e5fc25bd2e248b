import assert from 'node:assert/strict';
import { Cleanup } from './support/net';
import { ensureInstalled } from './support/prerequisites';
import { runToEnd } from './support/process';

describe('npm run demo', () => {
  const cleanup = new Cleanup();
  before(() => ensureInstalled('flask'));
  afterEach(() => cleanup.run());

  it('balances 12 requests evenly over three real Flask backends', async () => {
    const { code, output } = await runToEnd(cleanup, 'dist/demo.js', []);
    assert.equal(code, 0, output);
    const answers = output.match(/^ *\d+\. hello from server on port \d+$/gm) ?? [];
    assert.equal(answers.length, 12, output);
    const counts = [...output.matchAll(/^ {2}:(\d+) +(\d+) +█+ +33%$/gm)].map((match) => Number(match[2]));
    assert.deepEqual(counts, [4, 4, 4], output);
  }).timeout(60_000);

  it('says how to install Flask when the chosen Python does not have it', async () => {
    const { code, output } = await runToEnd(cleanup, 'dist/demo.js', [], { LOCAL_LB_PYTHON: '/nonexistent/python3' });
    assert.equal(code, 1);
    assert.match(output, /Flask was not found for \/nonexistent\/python3\. Install it with one of:\n {2}sudo apt-get install python3-flask/);
  });
});
