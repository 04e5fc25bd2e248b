// End to end, a FastAPI app launched as a person would: its workspace open in VS Code in a real
// browser, Launch Backends from the palette, FastAPI picked where the workspace suggests it.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { findFreePorts } from '../../src/balancer/freePort';
import { ensureVsCodeServer, openInChromium, ROOT, startVsCodeServer, TRUSTED_USER_SETTINGS, workbenchUrl, type VsCodeServer, type Workbench } from '../integration/vscodeHost';
import { httpGet } from '../support/http';
import { freeLaunchPorts, pythonWith } from '../support/processGroups';
import { accept, runFromPalette, SCREENSHOTS } from './workbenchActions';

const VSIX = join(ROOT, 'local-lb.vsix');

(process.env.LOCAL_LB_SKIP_VSCODE ? describe.skip : describe)('Launch Backends in a FastAPI workspace, end to end', function () {
  this.timeout(180_000);
  let server: VsCodeServer;
  let workbench: Workbench;
  let page: Page;
  let frontend: number;
  let backends: number[];
  const folders: string[] = [];
  const answers = new Map<string, number>();

  before(async () => {
    const serverMain = ensureVsCodeServer();
    server = await startVsCodeServer(serverMain, { userSettings: TRUSTED_USER_SETTINGS, vsix: VSIX });
    [frontend] = await findFreePorts(1);
    backends = await freeLaunchPorts(3);
    const workspace = mkdtempSync(join(tmpdir(), 'local-lb-fastapi-'));
    folders.push(workspace);
    cpSync(join(ROOT, 'samples', 'fastapi'), workspace, { recursive: true });
    mkdirSync(join(workspace, '.vscode'));
    // The Python presets run the workspace's interpreter: here, one that has FastAPI and uvicorn.
    const python = pythonWith('fastapi', 'uvicorn');
    const settings = { 'localLb.frontend.port': frontend, 'localLb.backends': backends, 'localLb.healthCheck.interval': 300, 'localLb.flask.pythonPath': python };
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    workbench = await openInChromium(workbenchUrl(server.port, workspace));
    page = workbench.page;
    await page.locator('.statusbar-item', { hasText: 'LB off' }).waitFor({ timeout: 90_000 });
    await page.locator('.activitybar [aria-label="Local LB"]').first().click();
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('Launch Backends offers FastAPI first, as the workspace\'s requirements.txt names it', async () => {
    await page.keyboard.press('F1');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('input').fill('>Local LB: Launch Backends');
    await widget.locator('.monaco-list-row', { hasText: 'Local LB: Launch Backends' }).first().waitFor();
    await page.keyboard.press('Enter');
    const first = widget.locator('.monaco-list-row').first();
    await first.filter({ hasText: 'FastAPI' }).waitFor({ timeout: 10_000 });
    assert.match((await first.textContent()) ?? '', /FastAPI\s*suggested: requirements\.txt names fastapi/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'launch-backends.png'), clip: { x: 300, y: 0, width: 800, height: 420 } });
    await page.keyboard.press('Escape');
  });

  it('FastAPI picked, with its module main, three copies start and come up in the Backends view', async () => {
    await runFromPalette(page, 'Local LB: Launch Backends', 'suggested: requirements.txt names fastapi', accept('FastAPI: the module to start'));
    await runFromPalette(page, 'Local LB: Start Balancer');
    for (const port of backends) {
      await page.locator('.monaco-list-row', { hasText: `:${port}` }).filter({ hasText: /^:\d+up/ }).waitFor({ timeout: 60_000 });
    }
  });

  it('30 requests to the frontend are answered by the three FastAPI copies, 10 each', async () => {
    for (let i = 0; i < 30; i++) {
      const { body } = await httpGet(`http://127.0.0.1:${frontend}/`);
      answers.set(body, (answers.get(body) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(answers), Object.fromEntries(backends.map((port) => [`hello from FastAPI on port ${port}`, 10])));
  });

  it('the Backends view shows the three copies up, a third of the requests each', async () => {
    await page.locator('.monaco-list-row', { hasText: '0 active · 30 requests' }).waitFor();
    const rows = await page.locator('.monaco-list-row').evaluateAll((elements) => elements.map((element) => element.textContent ?? ''));
    assert.deepEqual(rows.slice(1, 4), backends.map((port) => `:${port}up · 0 active · 33%`));
  });

  it('the copies run in terminals named by their ports', async () => {
    await page.keyboard.press('Control+Backquote');
    const tabs = page.locator('.terminal-tabs-entry');
    await tabs.first().waitFor();
    assert.deepEqual((await tabs.allTextContents()).map((name) => name.trim()).sort(), backends.map((port) => `FastAPI :${port}`).sort());
  });
});
