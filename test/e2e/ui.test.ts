// End to end, as a person would use it: the packaged .vsix installed in a fresh VS Code, driven
// through the command palette in a real browser, checked by what the window shows.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Frame, Page } from 'playwright-core';
import { findFreePorts } from '../../src/balancer/freePort';
import {
  ensureVsCodeServer,
  openInChromium,
  ROOT,
  sampleWorkspace,
  startVsCodeServer,
  TRUSTED_USER_SETTINGS,
  workbenchUrl,
  type VsCodeServer,
  type Workbench,
} from '../integration/vscodeHost';
import { httpGet } from '../support/http';
import { open } from '../support/net';
import { accept, hoverText, runFromPalette, screenshotEditor, SCREENSHOTS } from './workbenchActions';

const VSIX = join(ROOT, 'local-lb.vsix');

/** An HTTP server on loopback answering `name`, until closed. */
async function answering(name: string): Promise<Server> {
  const server = createServer((_req, res) => res.end(name));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** The traffic panel's own page: a frame nested in the webview's iframe, found by its table. */
async function panelFrame(page: Page): Promise<Frame> {
  for (let tries = 0; tries < 300; tries++) {
    for (const frame of page.frames()) {
      if ((await frame.locator('#recent').count().catch(() => 0)) > 0) return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error('The traffic panel\'s page did not load');
}

(process.env.LOCAL_LB_SKIP_VSCODE ? describe.skip : describe)('the packaged extension in VS Code, end to end', function () {
  this.timeout(180_000);
  let server: VsCodeServer;
  let workbench: Workbench;
  let page: Page;
  let frontend: number;
  let backends: number[];
  let workspace: string | undefined;
  const answers = new Map<string, number>();

  before(async () => {
    const serverMain = ensureVsCodeServer();
    server = await startVsCodeServer(serverMain, { userSettings: TRUSTED_USER_SETTINGS, vsix: VSIX });
    [frontend, ...backends] = await findFreePorts(4);
    workspace = sampleWorkspace({ 'localLb.frontend.port': frontend, 'localLb.backends': backends, 'localLb.healthCheck.interval': 300 });
    workbench = await openInChromium(workbenchUrl(server.port, workspace));
    page = workbench.page;
    await page.locator('.statusbar-item', { hasText: 'LB off' }).waitFor({ timeout: 90_000 });
    await page.locator('.activitybar [aria-label="Local LB"]').first().click();
    // No launch is set: Launch Backends offers what the workspace suggests, its app.py's Flask first.
    await runFromPalette(page, 'Local LB: Launch Backends', 'suggested: app.py makes a Flask app', accept('Flask: the app file to start'));
    await runFromPalette(page, 'Local LB: Start Balancer');
    for (const port of backends) {
      await page.locator('.monaco-list-row', { hasText: `:${port}` }).filter({ hasText: /^:\d+up/ }).waitFor({ timeout: 60_000 });
    }
    for (let i = 0; i < 30; i++) {
      const { body } = await httpGet(`http://127.0.0.1:${frontend}/`);
      answers.set(body, (answers.get(body) ?? 0) + 1);
    }
    await page.locator('.monaco-list-row', { hasText: '0 active · 30 requests' }).waitFor();
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('the packaged .vsix stays under 300 KB', () => {
    assert.ok(statSync(VSIX).size < 300 * 1024, `${statSync(VSIX).size} bytes`);
  });

  it('30 requests to the frontend are answered by the three Flask backends, 10 each', () => {
    assert.deepEqual(Object.fromEntries(answers), Object.fromEntries(backends.map((port) => [`hello from server on port ${port}`, 10])));
  });

  it('the status bar shows the frontend port and 3/3 healthy backends', async () => {
    const item = page.locator('.statusbar-item', { hasText: `:${frontend} 3/3` });
    await item.waitFor();
    assert.equal((await item.textContent())?.trim(), `:${frontend} 3/3`);
  });

  it('the Backends view lists the three backends as up, with a third of the requests each', async () => {
    const rows = await page.locator('.monaco-list-row').evaluateAll((elements) => elements.map((element) => element.textContent ?? ''));
    assert.equal(rows[0], `:${frontend}0 active · 30 requests`);
    assert.deepEqual(rows.slice(1, 4), backends.map((port) => `:${port}up · 0 active · 33%`));
  });

  it('hovering a backend shows its 10 requests, all answered 2xx, and its running Flask terminal', async () => {
    for (const port of backends) {
      const text = await hoverText(page.locator('.monaco-list-row', { hasText: `:${port}up` }), 'Total requests');
      assert.match(text, /Total requests\s*10 \(33%\)/);
      assert.match(text, /Answers\s*2xx 10/);
      assert.match(text, /Flask terminal\s*running/);
    }
  });

  it('the terminals are named after the backends\' ports', async () => {
    await page.keyboard.press('Control+Backquote');
    const tabs = page.locator('.terminal-tabs-entry');
    await tabs.first().waitFor();
    const names = (await tabs.allTextContents()).map((name) => name.trim()).sort();
    assert.deepEqual(names, backends.map((port) => `Flask :${port}`).sort());
  });

  it('saves screenshots of the Backends view and the status bar', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.keyboard.press('Escape');
    await page.mouse.move(700, 300);
    // The hovers of the test before fade out; the picture is of the view alone.
    await page.locator('.monaco-hover:visible, .workbench-hover:visible').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
    await page.waitForTimeout(300);
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    const statusBar = await page.locator('.part.statusbar').boundingBox();
    assert.ok(sidebar && statusBar);
    // The view's rows, and the left end of the status bar where the item sits.
    await page.screenshot({ path: join(SCREENSHOTS, 'backends-view.png'), clip: { ...sidebar, height: 170 } });
    await page.screenshot({ path: join(SCREENSHOTS, 'status-bar.png'), clip: { ...statusBar, width: 420 } });
    await page.screenshot({ path: join(SCREENSHOTS, 'window.png') });
    assert.ok(statSync(join(SCREENSHOTS, 'backends-view.png')).size > 1000);
  });

  it('Show Traffic from the palette opens the panel: after 30 requests, three backends in its legend and 30 rows naming each', async () => {
    await runFromPalette(page, 'Local LB: Show Traffic');
    const panel = await panelFrame(page);
    await panel.locator('#summary', { hasText: 'HTTP mode · 3 backends' }).waitFor({ timeout: 30_000 });
    for (let i = 0; i < 30; i++) await httpGet(`http://127.0.0.1:${frontend}/?n=${i}`);
    await panel.locator('#recent-count', { hasText: '30 requests' }).waitFor({ timeout: 10_000 });
    const legend = await panel.locator('#rate .u-legend .u-series .u-label').allTextContents();
    assert.deepEqual(legend, ['Time', ...backends.map((port) => `:${port}`), 'Total'], 'named as the tree names them');
    assert.equal(await panel.locator('#connect-section').isVisible(), false, 'HTTP mode times no connection');
    const rows = await panel.locator('#recent tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    assert.equal(rows.length, 30);
    assert.deepEqual(new Set(rows.map((cells) => cells[2])), new Set(backends.map((port) => `:${port}`)));
    assert.deepEqual(rows[0].slice(3, 6), ['GET', '/?n=29', '200'], 'newest first, with method, path and status');
    // The chart draws a second once it has ended.
    await page.waitForTimeout(1500);
    // The picture ships in the .vsix (the README and the walkthrough show it): the charts, the band and the table's first rows.
    await screenshotEditor(page, 'traffic-panel.png', 960);
  });

  it('a request clicked in the table shows its details: its URL, headers both ways, what Local LB added; Copy as curl copies it', async () => {
    const panel = await panelFrame(page);
    await panel.locator('#recent tbody tr').first().click();
    const pane = panel.locator('#details');
    await pane.waitFor();
    assert.match((await panel.locator('#details-title').textContent()) ?? '', /^http:\/\/127\.0\.0\.1:\d+\/\?n=29$/);
    const text = (await pane.textContent()) ?? '';
    for (const part of ['Overview', '200 OK', 'Timing', 'Waiting for the answer', 'Request headers', 'Added by Local LB', 'X-Forwarded-For', 'Response headers']) assert.ok(text.includes(part), part);
    assert.equal(await panel.locator('#recent tbody tr.selected').count(), 1);
    await panel.locator('#copy-curl').click();
    await page.locator('.notifications-toasts', { hasText: 'Copied the request as a curl command.' }).waitFor();
    await screenshotEditor(page, 'traffic-details.png');
  });

  it('Replay sends the selected request again through the balancer: a new row, marked as a replay', async () => {
    const panel = await panelFrame(page);
    if (!(await panel.locator('#details').isVisible())) await panel.locator('#recent tbody tr').first().click();
    await panel.locator('#replay').click();
    await page.locator('.notifications-toasts', { hasText: 'Sent the request again through the balancer: 200 OK.' }).waitFor();
    await panel.locator('#recent tbody tr', { hasText: 'answered · replay' }).first().waitFor({ timeout: 10_000 });
    assert.equal(await panel.locator('#recent tbody tr', { hasText: 'replay' }).first().locator('td').nth(4).textContent(), '/?n=29');
  });

  it('Add Fault from the palette slows one backend; the tree shows the fault under it and the status bar counts it', async () => {
    const [slow] = backends;
    await runFromPalette(page, 'Local LB: Add Fault', `:${slow}`, 'Slow: +300 ms');
    await page.locator('.monaco-list-row', { hasText: 'latency 300 ms ↓slow' }).waitFor();
    await page.locator('.monaco-list-row', { hasText: `:${slow}up · faulty` }).waitFor();
    await page.locator('.statusbar-item', { hasText: `:${frontend} 3/3` }).locator('.codicon-zap').waitFor();
    const times: Array<[string, number]> = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const { body } = await httpGet(`http://127.0.0.1:${frontend}/`);
      times.push([body, Date.now() - started]);
    }
    const slowAnswers = times.filter(([, ms]) => ms >= 295).map(([body]) => body);
    assert.deepEqual(slowAnswers, [`hello from server on port ${slow}`], JSON.stringify(times));
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.mouse.move(700, 300);
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    assert.ok(sidebar);
    await page.screenshot({ path: join(SCREENSHOTS, 'faults.png'), clip: { ...sidebar, height: 190 } });
    await trafficWithOneFaultyAndOneDown(slow);
    await runFromPalette(page, 'Local LB: Clear All Faults');
    await page.locator('.monaco-list-row', { hasText: 'latency 300 ms' }).waitFor({ state: 'detached' });
    // The status bar refreshes at most every 250 ms: the count goes once it has.
    await page.locator('.statusbar-item .codicon-zap').waitFor({ state: 'detached' });
  });

  it('reloading the window leaves nothing listening on the frontend port, and the traffic panel open', async () => {
    await runFromPalette(page, 'Developer: Reload Window');
    await page.locator('.statusbar-item', { hasText: 'LB off' }).waitFor({ timeout: 90_000 });
    await assert.rejects(open(frontend), { code: 'ECONNREFUSED' });
    await page.locator('.tab', { hasText: 'Local LB: Traffic' }).waitFor({ timeout: 30_000 });
    const panel = await panelFrame(page);
    await panel.locator('#summary', { hasText: '3 backends' }).waitFor({ timeout: 30_000 });
  });

  it('two pools from the settings: a row each in the Backends view, both serving, and the panel shows either or both', async () => {
    // Backends of this test's own, so that the Flask terminals of the tests before do not matter.
    const servers = await Promise.all(['w1', 'w2', 'a1'].map((name) => answering(name)));
    const [w1, w2, a1] = servers.map((server) => (server.address() as AddressInfo).port);
    const [web, api] = await findFreePorts(2);
    const settings = join(workspace as string, '.vscode', 'settings.json');
    const health = { interval: 300 };
    writeFileSync(
      settings,
      JSON.stringify({
        ...JSON.parse(readFileSync(settings, 'utf8')),
        'localLb.pools': [
          { name: 'web', frontend: { port: web }, backends: [w1, w2], healthCheck: health },
          { name: 'api', frontend: { port: api }, backends: [a1], healthCheck: health },
        ],
      }),
    );
    try {
      await page.locator('.monaco-list-row', { hasText: 'api' }).waitFor({ timeout: 30_000 });
      await runFromPalette(page, 'Local LB: Start Balancer');
      await page.locator('.monaco-list-row', { hasText: `web:${web} 2/2` }).waitFor({ timeout: 30_000 });
      await page.locator('.monaco-list-row', { hasText: `api:${api} 1/1` }).waitFor({ timeout: 30_000 });
      await page.locator('.statusbar-item', { hasText: '2 pools · 3/3' }).waitFor();
      assert.deepEqual([(await httpGet(`http://127.0.0.1:${web}/`)).body, (await httpGet(`http://127.0.0.1:${api}/`)).body], ['w1', 'a1']);
      await page.mouse.move(700, 300);
      const sidebar = await page.locator('.part.sidebar').boundingBox();
      assert.ok(sidebar);
      await page.screenshot({ path: join(SCREENSHOTS, 'pools.png'), clip: { ...sidebar, height: 170 } });
      // The panel shows web first; its selector switches it to api.
      const panel = await panelFrame(page);
      await page.locator('.tab', { hasText: 'Local LB: Traffic' }).click();
      await panel.locator('#summary', { hasText: 'web · HTTP mode · 2 backends' }).waitFor({ timeout: 30_000 });
      await panel.locator('#pool').selectOption('api');
      await panel.locator('#summary', { hasText: 'api · HTTP mode · 1 backend' }).waitFor({ timeout: 10_000 });
      await panel.locator('#pool').selectOption({ label: 'All pools' });
      await panel.locator('#summary', { hasText: 'All pools · HTTP mode · 3 backends' }).waitFor({ timeout: 10_000 });
    } finally {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });

  it('proxies a test suite creates through toxiproxy\'s API show in the Backends view, marked toxiproxy, their toxics as faults', async () => {
    const upstream = await answering('cache');
    const [apiPort] = await findFreePorts(1);
    const settings = join(workspace as string, '.vscode', 'settings.json');
    writeFileSync(settings, JSON.stringify({ ...JSON.parse(readFileSync(settings, 'utf8')), 'localLb.toxiproxyApi.enabled': true, 'localLb.toxiproxyApi.port': apiPort }));
    try {
      // As a test suite would: toxiproxy's API, from another process, once it listens.
      const toxiproxy = `http://127.0.0.1:${apiPort}`;
      const created = async (): Promise<{ listen: string }> => {
        for (let tries = 0; ; tries++) {
          try {
            const answer = await fetch(`${toxiproxy}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'redis', listen: '127.0.0.1:0', upstream: `localhost:${(upstream.address() as AddressInfo).port}` }) });
            return (await answer.json()) as { listen: string };
          } catch (error) {
            if (tries === 100) throw error;
            await page.waitForTimeout(300);
          }
        }
      };
      const proxy = await created();
      await fetch(`${toxiproxy}/proxies/redis/toxics`, { method: 'POST', body: JSON.stringify({ type: 'latency', attributes: { latency: 300 } }) });
      await page.locator('.monaco-list-row', { hasText: `redistoxiproxy · :${proxy.listen.split(':')[1]}` }).waitFor({ timeout: 30_000 });
      await page.locator('.monaco-list-row', { hasText: 'latency 300 ms ↓latency_downstream' }).waitFor({ timeout: 10_000 });
      assert.equal((await httpGet(`http://${proxy.listen}/`)).body, 'cache');
      await page.mouse.move(700, 300);
      const sidebar = await page.locator('.part.sidebar').boundingBox();
      assert.ok(sidebar);
      await page.screenshot({ path: join(SCREENSHOTS, 'toxiproxy.png'), clip: { ...sidebar, height: 250 } });
    } finally {
      await new Promise((resolve) => upstream.close(resolve));
    }
  });

  /**
   * The panel while one backend is faulty and another down: its Flask process is stopped, as a
   * crash would. Saved as the second picture of the panel.
   */
  async function trafficWithOneFaultyAndOneDown(faulty: number): Promise<void> {
    const down = backends[1];
    execFileSync('pkill', ['-f', `flask run --port ${down}`]);
    await page.locator('.monaco-list-row', { hasText: `:${down}down` }).waitFor({ timeout: 20_000 });
    for (let i = 0; i < 12; i++) await httpGet(`http://127.0.0.1:${frontend}/?after=${i}`);
    const panel = await panelFrame(page);
    await page.locator('.tab', { hasText: 'Local LB: Traffic' }).click();
    // Away from the tab, whose hover would be in the picture.
    await page.mouse.move(150, 850);
    await panel.locator('#band-text li', { hasText: `:${down}: down` }).last().waitFor({ state: 'attached', timeout: 10_000 });
    await panel.locator('#band-text li', { hasText: `:${faulty}: faulty` }).last().waitFor({ state: 'attached', timeout: 10_000 });
    await panel.locator('#recent tbody tr', { hasText: `:${faulty}` }).filter({ hasText: 'fault' }).first().waitFor();
    // The band's colours are named beside it.
    assert.deepEqual(await panel.locator('.band-legend li').allTextContents(), ['up', 'faulty', 'draining', 'down', 'disabled, or not checked yet']);
    await screenshotEditor(page, 'traffic-faults.png');
  }
});
