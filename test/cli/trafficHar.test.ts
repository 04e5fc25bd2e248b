// `local-lb --admin`'s GET /traffic.har: the HTTP requests recorded while watched, as HAR 1.2,
// Authorization and cookies masked unless asked.
import assert from 'node:assert/strict';
import { httpGet } from '../support/http';
import { validateHar } from '../support/harSchema';
import { httpBackend, rawExchange } from '../support/httpServers';
import { Cleanup } from '../support/net';
import { openInChromium } from '../integration/vscodeHost';
import { start } from '../support/process';

const CLI = 'dist/cli.js';

interface Har {
  log: { creator: { name: string }; entries: Array<{ request: { method: string; url: string; headers: Array<{ name: string; value: string }> }; response: { status: number } }> };
}

describe('local-lb --admin: GET /traffic.har', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function recorded(): Promise<{ admin: string }> {
    const backend = await httpBackend(cleanup, 'shop');
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(backend.port), '--mode', 'http', '--admin', '0', '--quiet']);
    const port = Number((await cli.waitFor(/Listening on 127\.0\.0\.1:(\d+)/))[1]);
    const admin = (await cli.waitFor(/Traffic panel on (http:\/\/127\.0\.0\.1:\d+)\//))[1];
    // Asking is watching: the requests after it are recorded.
    assert.equal((await httpGet(`${admin}/traffic.har`)).status, 200);
    for (const path of ['/a', '/b?x=1']) await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: shop.test\r\nAuthorization: Basic c2VjcmV0\r\nConnection: close\r\n\r\n`);
    return { admin };
  }

  it('answers the requests recorded as HAR 1.2, a file to save, Authorization masked', async () => {
    const { admin } = await recorded();
    const answer = await httpGet(`${admin}/traffic.har`);
    assert.deepEqual([answer.status, answer.type], [200, 'application/json; charset=utf-8']);
    const har = JSON.parse(answer.body) as Har;
    await validateHar(har);
    assert.equal(har.log.creator.name, 'Local LB');
    assert.deepEqual(har.log.entries.map(({ request, response }) => [request.method, request.url, response.status]), [
      ['GET', 'http://shop.test/a', 200],
      ['GET', 'http://shop.test/b?x=1', 200],
    ]);
    assert.equal(har.log.entries[0].request.headers.find(({ name }) => name === 'Authorization')?.value, '(masked)');
  });

  it('?secrets=shown shows them as they were; any other value is refused, naming it', async () => {
    const { admin } = await recorded();
    const shown = JSON.parse((await httpGet(`${admin}/traffic.har?secrets=shown`)).body) as Har;
    assert.equal(shown.log.entries[0].request.headers.find(({ name }) => name === 'Authorization')?.value, 'Basic c2VjcmV0');
    const bad = await httpGet(`${admin}/traffic.har?secrets=yes`);
    assert.equal(bad.status, 400);
    assert.match(bad.body, /Bad secrets="yes": give secrets=shown/);
    assert.equal((await httpGet(`${admin}/traffic.har?pool=nope`)).status, 404);
  });

  it('GET /traffic/details?seq=N gives a row\'s details for the page\'s pane, secrets masked, with its curl command', async () => {
    const { admin } = await recorded();
    const rows = JSON.parse((await httpGet(`${admin}/traffic`)).body) as { entries: Array<{ seq: number; path: string }> };
    const row = rows.entries.find(({ path }) => path === '/b?x=1');
    assert.ok(row);
    const answer = JSON.parse((await httpGet(`${admin}/traffic/details?seq=${row.seq}`)).body) as { url: string; curl: string; details: { requestHeaders: Array<[string, string]> } };
    assert.equal(answer.url, 'http://shop.test/b?x=1');
    assert.deepEqual(answer.details.requestHeaders.find(([name]) => name === 'Authorization'), ['Authorization', '(masked)']);
    assert.match(answer.curl, /^curl .* --header 'Authorization: Basic c2VjcmV0'/);
    const gone = JSON.parse((await httpGet(`${admin}/traffic/details?seq=999`)).body) as { none: string };
    assert.match(gone.none, /no longer kept/);
    assert.equal((await httpGet(`${admin}/traffic/details?seq=abc`)).status, 400);
  });

  it('the admin page shows a clicked request\'s details, read only: headers with Authorization masked, no replay', async () => {
    const backend = await httpBackend(cleanup, 'shop');
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(backend.port), '--mode', 'http', '--admin', '0', '--quiet']);
    const port = Number((await cli.waitFor(/Listening on 127\.0\.0\.1:(\d+)/))[1]);
    const admin = (await cli.waitFor(/Traffic panel on (http:\/\/127\.0\.0\.1:\d+)\//))[1];
    const browser = await openInChromium(`${admin}/`);
    cleanup.add(() => browser.close());
    const { page } = browser;
    await page.locator('#summary', { hasText: 'HTTP mode · 1 backend' }).waitFor({ timeout: 10_000 });
    await rawExchange(port, `GET /look HTTP/1.1\r\nHost: shop.test\r\nAuthorization: Basic c2VjcmV0\r\nConnection: close\r\n\r\n`);
    await page.locator('#recent tbody tr').first().click({ timeout: 10_000 });
    await page.locator('#details-title', { hasText: 'http://shop.test/look' }).waitFor({ timeout: 10_000 });
    const headers = await page.locator('#details table.headers').first().locator('tr').allTextContents();
    assert.ok(headers.includes('Authorization(masked)'), headers.join(' | '));
    assert.deepEqual([await page.locator('#replay').isVisible(), await page.locator('#copy-curl').isVisible()], [false, true]);
    assert.deepEqual(browser.console, [], 'no error in the page');
  });
});
