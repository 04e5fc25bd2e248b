// The traffic panel of `local-lb --admin`: the page, its data at /traffic, and what it refuses.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BalancerSnapshot, TrafficUpdate } from '../../src/balancer';
import { openInChromium } from '../integration/vscodeHost';
import { httpGet } from '../support/http';
import { Cleanup, exchange, namedBackend } from '../support/net';
import { start } from '../support/process';

const CLI = 'dist/cli.js';
const LISTENING = /Listening on 127\.0\.0\.1:(\d+)/;

describe('local-lb --admin: the traffic panel', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function startWithAdmin() {
    const backends = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b')];
    const cli = start(cleanup, CLI, ['-f', '0', ...backends.flatMap(({ port }) => ['-p', String(port)]), '--admin', '0', '--quiet']);
    const port = Number((await cli.waitFor(LISTENING))[1]);
    const admin = (await cli.waitFor(/Traffic panel on (http:\/\/127\.0\.0\.1:\d+)\//))[1];
    return { port, admin };
  }

  const traffic = async (url: string): Promise<TrafficUpdate> => JSON.parse((await httpGet(url)).body) as TrafficUpdate;

  it('GET / serves the panel page, its script allowed by a nonce and nothing from elsewhere', async () => {
    const { admin } = await startWithAdmin();
    const page = await new Promise<{ csp: string; body: string }>((resolve, reject) => {
      request(`${admin}/`, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => resolve({ csp: String(res.headers['content-security-policy']), body }));
      })
        .on('error', reject)
        .end();
    });
    const nonce = /script-src 'nonce-([^']+)'/.exec(page.csp)?.[1];
    assert.ok(nonce, page.csp);
    assert.match(page.csp, /default-src 'none'/);
    assert.ok(page.body.includes(`<script nonce="${nonce}" src="panel/traffic.js"></script>`));
    const script = await httpGet(`${admin}/panel/traffic.js`);
    assert.deepEqual([script.status, script.type], [200, 'text/javascript; charset=utf-8']);
    assert.ok(script.body.length > 10_000, 'the bundled script, uPlot with it');
    assert.equal((await httpGet(`${admin}/panel/traffic.css`)).status, 200);
  });

  it('GET /traffic gives the seconds and the connections since a cursor, which add up to what was sent', async () => {
    const { port, admin } = await startWithAdmin();
    // The first poll starts keeping entries.
    const first = await traffic(`${admin}/traffic`);
    assert.equal(first.backends.length, 2);
    for (let i = 0; i < 6; i++) await exchange(port, 'hi');
    const since = `${admin}/traffic?second=${first.cursor.second}&seq=${first.cursor.seq}`;
    let update = await traffic(since);
    const sent = (): number => update.backends.reduce((sum, backend) => sum + backend.counts.reduce((a, b) => a + b, 0), 0);
    for (let tries = 0; sent() < 6 && tries < 30; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      update = await traffic(since);
    }
    assert.equal(sent(), 6);
    assert.deepEqual(update.backends.map((backend) => backend.counts.reduce((a, b) => a + b, 0)), [3, 3]);
    assert.deepEqual(update.entries.map((entry) => [entry.outcome, entry.bytesIn]), Array(6).fill(['answered', 2]));
    assert.equal(update.backends[0].states.at(-1), 'up');
    assert.ok(update.backends.some((backend) => backend.p50.some((ms) => ms !== null)), 'times to the first byte');
  });

  it('the page, in a browser, draws TCP mode: new connections per second with the last second in the legend, the times to the first byte and to connect, the rows', async () => {
    const { port, admin } = await startWithAdmin();
    const browser = await openInChromium(`${admin}/`);
    cleanup.add(() => browser.close());
    const { page } = browser;
    await page.locator('#summary', { hasText: 'TCP mode · 2 backends' }).waitFor({ timeout: 10_000 });
    for (let i = 0; i < 6; i++) await exchange(port, 'hi');
    await page.locator('#recent-count', { hasText: '6 connections' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(await page.locator('h2').allTextContents(), [
      'New connections per second',
      'Time to the first byte, p50 and p99 (dashed)',
      'Time to connect, p50 and p99 (dashed)',
      'Health',
      'Recent traffic',
    ]);
    assert.ok(await page.locator('#connect-section canvas').isVisible(), 'the chart of the times to connect shows in TCP mode');
    const labels = await page.locator('#connect .u-legend .u-series .u-label').allTextContents();
    const [a, b] = (await traffic(`${admin}/traffic`)).backends.map((backend) => backend.label);
    assert.deepEqual(labels, ['Time', `${a} p50`, `${a} p99`, `${b} p50`, `${b} p99`]);
    // The legend gives the last whole second once the page has one (it polls twice a second).
    const legend = page.locator('#rate .u-legend .u-series .u-value');
    await legend.first().filter({ hasText: /^\d\d:\d\d:\d\d$/ }).waitFor({ timeout: 10_000 });
    const [time, ...counts] = await legend.allTextContents();
    assert.match(time, /^\d\d:\d\d:\d\d$/, 'with no pointer over the chart, its legend gives the last second');
    assert.deepEqual(counts.map((count) => /^\d+$/.test(count)), [true, true, true], counts.join(', '));
    assert.deepEqual(browser.console, [], 'no error in the page');
  });

  /** `local-lb --config` with pools web (backends a, b) and api (c), its admin endpoint and frontends. */
  async function startTwoPools(): Promise<{ admin: string; web: number; api: number }> {
    const backends = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b'), await namedBackend(cleanup, 'c')];
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-panel-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const config = join(folder, 'pools.json');
    const pools = [
      { name: 'web', frontend: { port: 0 }, backends: [backends[0].port, backends[1].port] },
      { name: 'api', frontend: { port: 0 }, backends: [backends[2].port] },
    ];
    writeFileSync(config, JSON.stringify({ pools }));
    const cli = start(cleanup, CLI, ['--config', config, '--admin', '0', '--quiet']);
    const web = Number((await cli.waitFor(/\[web\] Listening on 127\.0\.0\.1:(\d+)/))[1]);
    const api = Number((await cli.waitFor(/\[api\] Listening on 127\.0\.0\.1:(\d+)/))[1]);
    const admin = (await cli.waitFor(/Traffic panel on (http:\/\/127\.0\.0\.1:\d+)\//))[1];
    return { admin, web, api };
  }

  it('GET /traffic?pool=* gives every pool side by side: backends named with their pool, entries marked with it', async () => {
    const { admin, web, api } = await startTwoPools();
    await traffic(`${admin}/traffic?pool=*`);
    await exchange(web, 'hi');
    await exchange(api, 'hi');
    let update = await traffic(`${admin}/traffic?pool=*`);
    for (let tries = 0; update.entries.length < 2 && tries < 30; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      update = await traffic(`${admin}/traffic?pool=*`);
    }
    assert.deepEqual(update.backends.map((backend) => backend.id.split('/')[0]), ['web', 'web', 'api']);
    assert.deepEqual(update.entries.map((entry) => [entry.pool, entry.backend?.split('/')[0]]).sort(), [['api', 'api'], ['web', 'web']]);
  });

  it('with several pools, the page offers each in a selector, and all of them at once with a pool column and filter', async () => {
    const { admin, web, api } = await startTwoPools();
    const browser = await openInChromium(`${admin}/`);
    cleanup.add(() => browser.close());
    const { page } = browser;
    await page.locator('#summary', { hasText: 'web · TCP mode · 2 backends' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(await page.locator('#pool option').allTextContents(), ['web', 'api', 'All pools']);
    await page.locator('#pool').selectOption('api');
    await page.locator('#summary', { hasText: 'api · TCP mode · 1 backend' }).waitFor({ timeout: 10_000 });
    await page.locator('#pool').selectOption({ label: 'All pools' });
    await page.locator('#summary', { hasText: 'All pools · TCP mode · 3 backends' }).waitFor({ timeout: 10_000 });
    for (let i = 0; i < 2; i++) await exchange(web, 'hi');
    await exchange(api, 'hi');
    await page.locator('#recent-count', { hasText: '3 connections' }).waitFor({ timeout: 10_000 });
    assert.ok(await page.locator('th', { hasText: 'Pool' }).isVisible(), 'the pool column shows');
    const pools = await page.locator('#recent tbody tr').evaluateAll((rows) => rows.map((row) => row.children[1].textContent));
    assert.deepEqual(pools.sort(), ['api', 'web', 'web']);
    await page.locator('#filter-pool').selectOption('api');
    await page.locator('#recent-count', { hasText: '1 connection' }).waitFor({ timeout: 10_000 });
    assert.deepEqual(browser.console, [], 'no error in the page');
  });

  it('with one pool, the page has no pool selector', async () => {
    const { admin } = await startWithAdmin();
    const browser = await openInChromium(`${admin}/`);
    cleanup.add(() => browser.close());
    await browser.page.locator('#summary', { hasText: 'TCP mode · 2 backends' }).waitFor({ timeout: 10_000 });
    assert.equal(await browser.page.locator('#pool-choice').isVisible(), false);
  });

  it('/stats gives each backend\'s times to connect and to the first byte as percentiles', async () => {
    const { port, admin } = await startWithAdmin();
    await exchange(port, 'hi');
    const stats = JSON.parse((await httpGet(`${admin}/stats`)).body) as BalancerSnapshot;
    const { connectMs, firstByteMs } = stats.backends[0];
    assert.ok(connectMs && firstByteMs, JSON.stringify(stats.backends[0]));
    assert.ok(connectMs.p50 <= connectMs.p99 && firstByteMs.p50 >= connectMs.p50);
  });

  it('a bad cursor is answered 400, naming the value', async () => {
    const { admin } = await startWithAdmin();
    const { status, body } = await httpGet(`${admin}/traffic?second=soon&seq=1`);
    assert.equal(status, 400);
    assert.match(body, /^Bad second="soon": \/traffic takes \?second=S&seq=N/);
  });

  it('a request naming another host (DNS rebinding) is refused', async () => {
    const { admin } = await startWithAdmin();
    const status = await new Promise<number>((resolve, reject) => {
      request(`${admin}/traffic`, { headers: { Host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 403);
  });
});
