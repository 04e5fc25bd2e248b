// Entry point inside the VS Code extension host: runs the mocha suites and writes the results to
// the file named by LOCAL_LB_TEST_RESULTS. In the browser-based runner the host's exit code says
// nothing, so the driver reads this file instead; @vscode/test-electron sees run() reject.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export async function run(): Promise<void> {
  const resultsPath = process.env.LOCAL_LB_TEST_RESULTS;
  const outcomes: TestOutcome[] = [];
  try {
    const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
    // Restricted Mode has its own file; everything else needs a trusted workspace.
    const files = vscode.workspace.isTrusted ? ['commands.test.js', 'flask.test.js', 'launch.test.js', 'traffic.test.js', 'export.test.js', 'resilience.test.js', 'pools.test.js', 'toxiproxy.test.js'] : ['untrusted.test.js'];
    for (const file of files) mocha.addFile(join(__dirname, file));
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test) => outcomes.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration }));
      runner.on('pending', (test) => outcomes.push({ title: test.fullTitle(), state: 'pending' }));
      runner.on('fail', (test, error: Error) =>
        outcomes.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration, error: error.stack ?? error.message }),
      );
    });
  } catch (error) {
    outcomes.push({ title: 'loading the suite', state: 'failed', error: (error as Error).stack ?? String(error) });
  }
  if (resultsPath) {
    // Written whole, then renamed: the driver polls for the file and must never read half of it.
    writeFileSync(`${resultsPath}.partial`, JSON.stringify({ trusted: vscode.workspace.isTrusted, outcomes }, null, 2));
    renameSync(`${resultsPath}.partial`, resultsPath);
  }
  // For @vscode/test-electron, which judges by whether run() rejects.
  const failed = outcomes.filter((outcome) => outcome.state === 'failed').length;
  if (failed > 0) throw new Error(`${failed} test(s) failed inside VS Code.`);
}
