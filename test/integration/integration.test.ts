// The integration suites run inside a real VS Code (a trusted workspace, then Restricted Mode)
// before mocha starts (it runs with --delay); each of their tests is reported here as a test of
// its own. LOCAL_LB_SKIP_VSCODE=1 skips them, for quick runs of the other tests.
import { ensureVsCodeServer, runIntegrationSuite, type SuiteRun } from './vscodeHost';

const VARIANTS = [
  { name: 'a trusted workspace', trusted: true },
  { name: 'Restricted Mode', trusted: false },
];

async function defineSuites(): Promise<void> {
  if (process.env.LOCAL_LB_SKIP_VSCODE) {
    describe('inside VS Code', () => it.skip('skipped: LOCAL_LB_SKIP_VSCODE is set'));
    return;
  }
  let runs: Array<SuiteRun | Error>;
  try {
    const serverMain = ensureVsCodeServer();
    runs = [];
    for (const variant of VARIANTS) runs.push(await runIntegrationSuite(serverMain, variant.trusted).catch((error: Error) => error));
  } catch (error) {
    runs = VARIANTS.map(() => error as Error);
  }
  describe('inside VS Code', () => {
    VARIANTS.forEach((variant, i) => {
      const run = runs[i];
      describe(`in ${variant.name}`, () => {
        if (run instanceof Error) {
          it('runs the integration suite', () => {
            throw run;
          });
          return;
        }
        it('opens the workspace with the expected trust', () => {
          if (run.trusted !== variant.trusted) throw new Error(`The workspace was ${run.trusted ? '' : 'not '}trusted.`);
        });
        for (const outcome of run.outcomes) {
          if (outcome.state === 'pending') it.skip(outcome.title);
          else
            it(outcome.title, () => {
              if (outcome.state === 'failed') throw Object.assign(new Error(outcome.error), { stack: outcome.error });
            });
        }
      });
    });
  });
}

void defineSuites().then(() => run());
