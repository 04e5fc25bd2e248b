import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { findFreePorts } from '../../../src/balancer/freePort';
import type { LocalLbApi } from '../../../src/extension';
import { httpGet } from '../../support/http';
import { extensionApi, setSetting, treeRows, waitFor } from './helpers';

function flaskTerminals(): vscode.Terminal[] {
  return vscode.window.terminals.filter((terminal) => terminal.name.startsWith('Flask :'));
}

describe('Flask backends in terminals', () => {
  let api: LocalLbApi;
  let ports: number[];

  const allUp = (): boolean => api.balancer.get('default').snapshot().backends.every((backend) => backend.state === 'up');

  before(async () => {
    api = await extensionApi();
    const [frontend, ...backends] = await findFreePorts(4);
    ports = backends;
    await setSetting('frontend.port', frontend);
    await setSetting('healthCheck.interval', 200);
    await setSetting('backends', ports);
    await waitFor('the backends from the settings', () => api.balancer.get('default').snapshot().backends.map((b) => b.port).join() === ports.join());
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('localLb.stopFlaskBackends');
    await vscode.commands.executeCommand('localLb.stop');
    await setSetting('flask.messageTemplate', undefined);
    await setSetting('flask.pythonPath', undefined);
  });

  it('Launch Flask Backends (the old name of Launch Backends) opens one Flask terminal per backend, named by its port', async () => {
    const launched = await vscode.commands.executeCommand('localLb.launchFlaskBackends');
    assert.deepEqual(launched, ports);
    assert.deepEqual(flaskTerminals().map((terminal) => terminal.name).sort(), ports.map((port) => `Flask :${port}`).sort());
    assert.deepEqual(ports.map((port) => api.terminals.state(port)?.label), ['Flask', 'Flask', 'Flask']);
  });

  it('real Flask answers through the balancer from every backend', async () => {
    await vscode.commands.executeCommand('localLb.launchFlaskBackends');
    await vscode.commands.executeCommand('localLb.start');
    await waitFor('Flask up on every port', allUp, 30_000);
    const results = (await vscode.commands.executeCommand('localLb.sendTestRequests', 6)) as Array<{ body?: string }>;
    const expected = ports.map((port) => `hello from server on port ${port}`);
    assert.deepEqual(results.map((result) => result.body), [...expected, ...expected]);
    await waitFor('Flask running in the tree', () => treeRows(api).slice(1).every((row) => row.contextValue === 'backend.enabled.terminal'));
  });

  it('launching again reuses the terminals that run', async () => {
    await vscode.commands.executeCommand('localLb.launchFlaskBackends');
    assert.deepEqual(await vscode.commands.executeCommand('localLb.launchFlaskBackends'), []);
    assert.equal(flaskTerminals().length, 3);
  });

  it('a terminal closed by hand is noticed', async () => {
    await vscode.commands.executeCommand('localLb.launchFlaskBackends');
    flaskTerminals().find((terminal) => terminal.name === `Flask :${ports[0]}`)?.dispose();
    await waitFor('the terminal forgotten', () => !api.terminals.isRunning(ports[0]));
    const row = await waitFor('the tree updated', () => treeRows(api).find((r) => r.label === `:${ports[0]}` && r.contextValue.endsWith('noTerminal')));
    assert.ok(row);
  });

  it('Stop Flask Backends closes every Flask terminal', async () => {
    await vscode.commands.executeCommand('localLb.launchFlaskBackends');
    await vscode.commands.executeCommand('localLb.stopFlaskBackends');
    await waitFor('no Flask terminal', () => flaskTerminals().length === 0);
  });

  /** A folder where an injected command would leave files; removed after the test. */
  let markers: string;
  beforeEach(() => (markers = mkdtempSync(join(tmpdir(), 'local-lb-injection-'))));
  afterEach(() => rmSync(markers, { recursive: true, force: true }));

  it('shell syntax in the message reaches Flask as plain text and runs nothing', async () => {
    const template =
      `$(touch ${markers}/a) \`touch ${markers}/b\`; touch ${markers}/c && touch ${markers}/d | touch ${markers}/e\n` +
      `touch ${markers}/f {port} ${'x'.repeat(10_000)}`;
    await setSetting('flask.messageTemplate', template);
    await vscode.commands.executeCommand('localLb.launchBackendTerminal', String(ports[0]));
    await vscode.commands.executeCommand('localLb.start');
    await waitFor('that Flask up', () => api.balancer.get('default').snapshot().backends[0].state === 'up', 30_000);
    // Round robin may first pick the backends that do not run; each refusal marks one down.
    let body = '';
    for (let i = 0; i < 3 && !body.startsWith('$('); i++) ({ body } = await httpGet(`http://127.0.0.1:${api.balancer.get('default').address()?.port}/`));
    assert.equal(body, template.split('{port}').join(String(ports[0])));
    assert.deepEqual(readdirSync(markers), []);
  });

  it('a Python path with shell syntax is refused and runs nothing', async () => {
    await setSetting('flask.pythonPath', `python3; touch ${markers}/a`);
    assert.deepEqual(await vscode.commands.executeCommand('localLb.launchFlaskBackends'), []);
    assert.equal(flaskTerminals().length, 0);
    assert.deepEqual(readdirSync(markers), []);
  });
});
