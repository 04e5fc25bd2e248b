import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { findFreePort } from '../../../src/balancer/freePort';
import type { TrafficMessage } from '../../../src/balancer';
import type { LocalLbApi } from '../../../src/extension';
import { validateHar } from '../../support/harSchema';
import { extensionApi, httpBackends, setSetting, waitFor } from './helpers';

function request(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

/** The tabs of the traffic panel open in the window. */
const panelTabs = (): vscode.Tab[] =>
  vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('localLb.traffic'));

describe('the traffic panel', () => {
  let api: LocalLbApi;
  let backends: Awaited<ReturnType<typeof httpBackends>>;
  let port: number;
  const messages: TrafficMessage[] = [];

  before(async () => {
    api = await extensionApi();
    api.traffic.onDidPost((message) => messages.push(message));
    backends = await httpBackends(['one', 'two', 'three']);
    port = await findFreePort();
    await setSetting('frontend.port', port);
    await setSetting('mode', 'http');
    await setSetting('backends', backends.ports);
    await waitFor('the backends from the settings', () => api.balancer.get('default').snapshot().backends.map((backend) => backend.port).join() === backends.ports.join());
    assert.equal(await vscode.commands.executeCommand('localLb.start'), true);
  });

  after(async () => {
    api.traffic.current?.webviewPanel.dispose();
    await vscode.commands.executeCommand('localLb.stop');
    await backends.close();
  });

  it('Show Traffic opens the panel in the editor area, and its page asks for its data', async () => {
    await vscode.commands.executeCommand('localLb.showTraffic');
    await waitFor('the panel\'s first, full update', () => messages.some((message) => message.full));
    assert.equal(panelTabs().length, 1);
    assert.equal(panelTabs()[0].label, 'Local LB: Traffic');
    await vscode.commands.executeCommand('localLb.showTraffic');
    assert.equal(panelTabs().length, 1, 'running it again shows the same panel');
  });

  it('after 30 requests, the messages carry 30 requests per second summed, 10 per backend, and 30 rows', async () => {
    await vscode.commands.executeCommand('localLb.showTraffic');
    await waitFor('the panel to be posted to', () => messages.length > 0);
    const from = messages.length;
    for (let i = 0; i < 30; i++) await request(port, `/page/${i}`);
    const counted = (): Map<string, number> => {
      const sums = new Map<string, number>();
      for (const { update } of messages.slice(from)) {
        for (const backend of update.backends) sums.set(backend.id, (sums.get(backend.id) ?? 0) + backend.counts.reduce((a, b) => a + b, 0));
      }
      return sums;
    };
    await waitFor('30 requests in the messages', () => [...counted().values()].reduce((a, b) => a + b, 0) === 30, 10_000);
    assert.deepEqual([...counted().values()], [10, 10, 10]);
    const rows = messages.slice(from).flatMap((message) => message.update.entries);
    assert.deepEqual(rows.map((row) => row.path), Array.from({ length: 30 }, (_, i) => `/page/${i}`));
    assert.ok(messages.slice(from).every((message) => !message.full), 'only what is new after the first');
  });

  it('nothing is posted while the panel is hidden; shown again, it is sent everything at once', async () => {
    await vscode.commands.executeCommand('localLb.showTraffic');
    const document = await vscode.workspace.openTextDocument({ content: 'another editor' });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await waitFor('the panel hidden', () => api.traffic.current?.webviewPanel.visible === false);
    const from = messages.length;
    const before = api.balancer.get('default').traffic().cursor;
    for (let i = 0; i < 10; i++) await request(port, '/while-hidden');
    // Once the requests are in a whole second of the record, a visible panel would have been sent them.
    const sent = (): number => api.balancer.get('default').traffic(before).backends.reduce((sum, backend) => sum + backend.counts.reduce((a, b) => a + b, 0), 0);
    await waitFor('the hidden requests in whole seconds of the record', () => sent() === 10, 10_000);
    assert.equal(messages.length, from, 'no message while hidden');
    await vscode.commands.executeCommand('localLb.showTraffic');
    await waitFor('a full update once shown', () => messages.slice(from).some((message) => message.full));
    const full = messages.slice(from).find((message) => message.full) as TrafficMessage;
    assert.ok(full.update.entries.filter((entry) => entry.path === '/while-hidden').length === 10, 'the requests made while hidden are in it');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Export Traffic as HAR writes the requests recorded while the panel is open: valid HAR 1.2, Authorization masked', async () => {
    await vscode.commands.executeCommand('localLb.showTraffic');
    await new Promise<void>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/inspected?x=1', agent: false, headers: { Authorization: 'Bearer s3cret' } }, (res) => res.resume().on('end', resolve)).on('error', reject);
    });
    const file = vscode.Uri.file(join(mkdtempSync(join(tmpdir(), 'local-lb-har-')), 'traffic.har'));
    try {
      await waitFor('the request recorded', () => api.balancer.get('default').trafficHar({ creator: { name: 'test', version: '0' } }).requests > 0);
      const written = (await vscode.commands.executeCommand('localLb.exportTrafficHar', 'default', file)) as number;
      assert.ok(written >= 1, String(written));
      const har = JSON.parse(readFileSync(file.fsPath, 'utf8')) as { log: { entries: Array<{ request: { url: string; headers: Array<{ name: string; value: string }> } }> } };
      await validateHar(har);
      const entry = har.log.entries.find(({ request }) => request.url.endsWith('/inspected?x=1'));
      assert.equal(entry?.request.headers.find(({ name }) => name === 'Authorization')?.value, '(masked)');
    } finally {
      rmSync(dirname(file.fsPath), { recursive: true, force: true });
    }
  });
});
