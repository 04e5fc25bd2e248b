// The integration suites run inside a real VS Code, in a trusted workspace and in Restricted Mode.
// Each variant's `before` hook runs its suite there, then adds one test here per test run inside,
// so that mocha reports each of them. LOCAL_LB_SKIP_VSCODE=1 skips them, for quick runs.
import assert from 'node:assert/strict';
import { Test } from 'mocha';
import { ensureVsCodeServer, runIntegrationSuite } from './vscodeHost';
import type { TestOutcome } from './suite/index';

const VARIANTS = [
  { name: 'a trusted workspace', trusted: true },
  { name: 'Restricted Mode', trusted: false },
];

let serverMain: string | undefined;

function reported(outcome: TestOutcome): Test {
  if (outcome.state === 'pending') return new Test(outcome.title);
  return new Test(outcome.title, () => {
    if (outcome.state === 'failed') throw Object.assign(new Error(outcome.error), { stack: outcome.error });
  });
}

(process.env.LOCAL_LB_SKIP_VSCODE ? describe.skip : describe)('inside VS Code', function () {
  this.timeout(600_000);
  for (const variant of VARIANTS) {
    describe(`in ${variant.name}`, function () {
      let trusted: boolean | undefined;

      before(async function () {
        serverMain ??= ensureVsCodeServer();
        const run = await runIntegrationSuite(serverMain, variant.trusted);
        trusted = run.trusted;
        for (const outcome of run.outcomes) this.test?.parent?.addTest(reported(outcome));
      });

      it('opens the workspace with the expected trust', () => {
        assert.equal(trusted, variant.trusted);
      });
    });
  }
});
