// `npm run test:electron`: the integration suite in a desktop VS Code, downloaded by
// @vscode/test-electron. For developers with internet access; CI uses the VS Code server instead.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { sampleWorkspace, ROOT } from '../integration/vscodeHost';

async function main(): Promise<void> {
  const workspace = sampleWorkspace();
  await runTests({
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'out', 'test', 'integration', 'suite', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', mkdtempSync(join(tmpdir(), 'local-lb-electron-'))],
  });
}

main().catch((error: Error) => {
  console.error(`Tests in VS Code failed: ${error.message}`);
  process.exit(1);
});
