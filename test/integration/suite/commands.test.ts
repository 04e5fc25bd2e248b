import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import packageJson from '../../../package.json';
import { findFreePort } from '../../../src/balancer/freePort';
import type { LocalLbApi } from '../../../src/extension';
import { extensionApi, httpBackends, setSetting, treeRows, waitFor } from './helpers';

/** Every command the manifest contributes: each must be registered. */
const COMMANDS = (packageJson.contributes.commands as Array<{ command: string }>).map(({ command }) => command);

describe('Local LB commands, tree and status bar', () => {
  let api: LocalLbApi;
  let backends: Awaited<ReturnType<typeof httpBackends>>;
  let port: number;

  const configuredPorts = (): number[] => api.balancer.get('default').snapshot().backends.map((backend) => backend.port);

  before(async () => {
    api = await extensionApi();
    backends = await httpBackends(['one', 'two', 'three']);
    port = await findFreePort();
    await setSetting('frontend.port', port);
    await setSetting('healthCheck.interval', 200);
    await setSetting('backends', backends.ports);
    await waitFor('the backends from the settings', () => configuredPorts().join() === backends.ports.join());
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('localLb.stop');
  });

  after(async () => {
    await backends.close();
  });

  it('registers every command of the manifest', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(COMMANDS.length >= 18, `${COMMANDS.length} commands in the manifest`);
    assert.deepEqual(COMMANDS.filter((command) => !registered.has(command)), []);
  });

  it('starting shows the port and healthy/total backends in the status bar; stopping shows LB off', async () => {
    assert.equal(api.statusBar.text, '$(circle-slash) LB off');
    assert.equal(await vscode.commands.executeCommand('localLb.start'), true);
    await waitFor('3/3 in the status bar', () => api.statusBar.text === `$(radio-tower) :${port} 3/3`);
    await vscode.commands.executeCommand('localLb.stop');
    await waitFor('LB off', () => api.statusBar.text === '$(circle-slash) LB off');
  });

  it('a backend that is down turns the status bar to a warning; none taking traffic to an error', async () => {
    const closed = await findFreePort();
    await setSetting('backends', [...backends.ports, closed]);
    await vscode.commands.executeCommand('localLb.start');
    await waitFor('3/4 in the status bar', () => api.statusBar.text === `$(radio-tower) :${port} 3/4`);
    assert.deepEqual(api.statusBar.background, new vscode.ThemeColor('statusBarItem.warningBackground'));
    await setSetting('backends', [closed]);
    await waitFor('0/1 in the status bar', () => api.statusBar.text === `$(radio-tower) :${port} 0/1`);
    assert.deepEqual(api.statusBar.background, new vscode.ThemeColor('statusBarItem.errorBackground'));
    await setSetting('backends', backends.ports);
    await waitFor('3/3 again', () => api.statusBar.text === `$(radio-tower) :${port} 3/3`);
    assert.equal(api.statusBar.background, undefined);
  });

  it('the tree shows the frontend with its state and one item per backend', async () => {
    await vscode.commands.executeCommand('localLb.start');
    await waitFor('every backend up', () => api.balancer.get('default').snapshot().backends.every((backend) => backend.state === 'up'));
    api.tree.refresh();
    const rows = treeRows(api);
    assert.deepEqual(rows[0], { label: `:${port}`, description: '0 active · 0 requests', contextValue: 'pool.running' });
    assert.deepEqual(
      rows.slice(1).map((row) => [row.label, row.description, row.contextValue]),
      backends.ports.map((p) => [`:${p}`, 'up · 0 active · 0%', 'backend.enabled.noTerminal']),
    );
  });

  it('the tree counts requests, one by one, over a kept-alive connection', async () => {
    await vscode.commands.executeCommand('localLb.start');
    await vscode.commands.executeCommand('localLb.resetStatistics');
    const results = (await vscode.commands.executeCommand('localLb.sendTestRequests', 6)) as Array<{ body?: string }>;
    assert.deepEqual(results.map((result) => result.body), ['one', 'two', 'three', 'one', 'two', 'three']);
    const rows = await waitFor('the counts in the tree', () => {
      const current = treeRows(api);
      return current[0].description === '0 active · 6 requests' && current;
    });
    assert.deepEqual(rows.slice(1).map((row) => row.description), ['up · 0 active · 33%', 'up · 0 active · 33%', 'up · 0 active · 33%']);
    assert.equal(api.balancer.get('default').snapshot().frontend.totalConnections, 1, 'the six requests came over one connection');
  });

  it('in TCP mode the tree counts connections', async () => {
    await setSetting('mode', 'tcp');
    try {
      await vscode.commands.executeCommand('localLb.start');
      await waitFor('TCP mode serving', () => api.balancer.get('default').snapshot().frontend.mode === 'tcp');
      await vscode.commands.executeCommand('localLb.resetStatistics');
      await vscode.commands.executeCommand('localLb.sendTestRequests', 3);
      await waitFor('the connections in the tree', () => treeRows(api)[0].description === 'listening · 0 active · 3 total');
    } finally {
      await setSetting('mode', undefined);
    }
  });

  it('Balance Requests or Connections switches the mode, restarting the frontend in it; a bad mode is refused', async () => {
    await vscode.commands.executeCommand('localLb.start');
    try {
      assert.equal(await vscode.commands.executeCommand('localLb.setMode', 'tcp'), true);
      assert.equal(vscode.workspace.getConfiguration('localLb').get('mode'), 'tcp');
      await waitFor('the frontend in TCP mode', () => api.balancer.running && api.balancer.get('default').snapshot().frontend.mode === 'tcp');
      assert.equal(await vscode.commands.executeCommand('localLb.setMode', 'udp'), false);
      assert.equal(vscode.workspace.getConfiguration('localLb').get('mode'), 'tcp');
      assert.equal(await vscode.commands.executeCommand('localLb.setMode', 'http'), true);
      await waitFor('the frontend in HTTP mode', () => api.balancer.running && api.balancer.get('default').snapshot().frontend.mode === 'http');
    } finally {
      await setSetting('mode', undefined);
    }
  });

  it('Add Backend refuses a port out of range and leaves the settings alone', async () => {
    assert.equal(await vscode.commands.executeCommand('localLb.addBackend', '70000'), false);
    assert.deepEqual(vscode.workspace.getConfiguration('localLb').get('backends'), backends.ports);
  });

  it('Add Backend refuses a backend that is already there', async () => {
    assert.equal(await vscode.commands.executeCommand('localLb.addBackend', `localhost:${backends.ports[0]}`), false);
    assert.deepEqual(vscode.workspace.getConfiguration('localLb').get('backends'), backends.ports);
  });

  it('Add Backend adds a new one to the settings and the tree; Remove Backend takes it out', async () => {
    const extra = await findFreePort();
    assert.equal(await vscode.commands.executeCommand('localLb.addBackend', String(extra)), true);
    assert.deepEqual(vscode.workspace.getConfiguration('localLb').get('backends'), [...backends.ports, extra]);
    await waitFor('the new backend in the tree', () => treeRows(api).some((row) => row.label === `:${extra}`));
    assert.equal(await vscode.commands.executeCommand('localLb.removeBackend', String(extra)), true);
    await waitFor('the backend gone', () => !configuredPorts().includes(extra));
    assert.deepEqual(vscode.workspace.getConfiguration('localLb').get('backends'), backends.ports);
  });

  it('Disable Backend drains it out of rotation and Enable Backend brings it back', async () => {
    await vscode.commands.executeCommand('localLb.start');
    const [first] = backends.ports;
    await vscode.commands.executeCommand('localLb.disableBackend', String(first));
    const disabled = treeRows(api).find((row) => row.label === `:${first}`);
    assert.deepEqual([disabled?.description.split(' · ')[0], disabled?.contextValue], ['disabled', 'backend.disabled.noTerminal']);
    const results = (await vscode.commands.executeCommand('localLb.sendTestRequests', 4)) as Array<{ body?: string }>;
    assert.ok(results.every((result) => result.body !== 'one'), JSON.stringify(results));
    await vscode.commands.executeCommand('localLb.enableBackend', String(first));
    const enabled = treeRows(api).find((row) => row.label === `:${first}`);
    assert.equal(enabled?.contextValue, 'backend.enabled.noTerminal');
    const again = (await vscode.commands.executeCommand('localLb.sendTestRequests', 3)) as Array<{ body?: string }>;
    assert.deepEqual(again.map((result) => result.body).sort(), ['one', 'three', 'two'], 'the enabled backend answers again');
  });

  it('a command given a backend as localhost:PORT or :PORT finds it, as the engine does', async () => {
    const [first, second] = backends.ports;
    await vscode.commands.executeCommand('localLb.disableBackend', `localhost:${first}`);
    await vscode.commands.executeCommand('localLb.disableBackend', `:${second}`);
    const states = (): Array<boolean | undefined> => [first, second].map((p) => api.balancer.get('default').snapshot().backends.find((backend) => backend.port === p)?.enabled);
    assert.deepEqual(states(), [false, false]);
    await vscode.commands.executeCommand('localLb.enableBackend', `localhost:${first}`);
    await vscode.commands.executeCommand('localLb.enableBackend', `127.0.0.1:${second}`);
    assert.deepEqual(states(), [true, true]);
  });

  it('Add Fault puts a fault under its backend, marks it faulty, and counts it in the status bar; Remove Fault lifts it', async () => {
    await vscode.commands.executeCommand('localLb.start');
    const [first] = backends.ports;
    const fault = await vscode.commands.executeCommand('localLb.addFault', String(first), { type: 'reset_peer', name: 'flaky' });
    assert.deepEqual(fault, { name: 'flaky', type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } });
    const rows = treeRows(api);
    const at = rows.findIndex((row) => row.label === `:${first}`);
    assert.match(rows[at].description, /· faulty ·/);
    assert.deepEqual(rows[at + 1], { label: 'reset ↓', description: 'flaky', contextValue: 'fault' });
    await waitFor('the fault counted in the status bar', () => api.statusBar.text === `$(radio-tower) :${port} 3/3 $(zap) 1`);
    const results = (await vscode.commands.executeCommand('localLb.sendTestRequests', 3)) as Array<{ body?: string; error?: string }>;
    assert.equal(results.filter((result) => result.error).length, 1, `one of three reset: ${JSON.stringify(results)}`);
    assert.equal(await vscode.commands.executeCommand('localLb.removeFault', String(first), 'flaky'), true);
    assert.equal(treeRows(api).some((row) => row.contextValue === 'fault'), false);
    await waitFor('no fault in the status bar', () => api.statusBar.text === `$(radio-tower) :${port} 3/3`);
  });

  it('a request fault, after a switch to TCP mode, stays in the tree greyed as HTTP mode only and stops counting as a fault', async () => {
    await vscode.commands.executeCommand('localLb.start');
    const [first] = backends.ports;
    await vscode.commands.executeCommand('localLb.addFault', String(first), { type: 'http_status', name: 'errors' });
    try {
      assert.equal(await vscode.commands.executeCommand('localLb.setMode', 'tcp'), true);
      await waitFor('the frontend in TCP mode', () => api.balancer.running && api.balancer.get('default').snapshot().frontend.mode === 'tcp');
      const rows = await waitFor('the fault greyed', () => {
        const current = treeRows(api);
        return current.some((row) => row.description === 'errors · HTTP mode only') && current;
      });
      const at = rows.findIndex((row) => row.label === `:${first}`);
      assert.doesNotMatch(rows[at].description, /faulty/);
      assert.deepEqual(rows[at + 1], { label: 'answers 503', description: 'errors · HTTP mode only', contextValue: 'fault' });
      await waitFor('no fault counted in the status bar', () => api.statusBar.text === `$(radio-tower) :${port} 3/3`);
    } finally {
      await setSetting('mode', undefined);
      await vscode.commands.executeCommand('localLb.clearFaults');
    }
  });

  it('Clear All Faults lifts every fault of every backend', async () => {
    await vscode.commands.executeCommand('localLb.start');
    for (const backendPort of backends.ports) await vscode.commands.executeCommand('localLb.addFault', String(backendPort), { type: 'latency', attributes: { latency: 10 } });
    await waitFor('three faults counted', () => api.statusBar.text.endsWith('$(zap) 3'));
    await vscode.commands.executeCommand('localLb.clearFaults');
    assert.deepEqual(api.balancer.get('default').snapshot().backends.map((backend) => backend.faults), [undefined, undefined, undefined]);
  });

  it('a changed strategy applies while the balancer runs', async () => {
    await vscode.commands.executeCommand('localLb.start');
    await setSetting('strategy', 'least-connections');
    await waitFor('least connections', () => api.balancer.get('default').snapshot().frontend.strategy === 'least-connections');
    assert.equal(api.balancer.running, true);
    await setSetting('strategy', undefined);
  });

  it('a changed frontend port moves the running frontend there', async () => {
    await vscode.commands.executeCommand('localLb.start');
    const moved = await findFreePort();
    await setSetting('frontend.port', moved);
    await waitFor('the frontend on the new port', () => api.balancer.get('default').address()?.port === moved);
    await waitFor('the status bar', () => api.statusBar.text === `$(radio-tower) :${moved} 3/3`);
    await setSetting('frontend.port', port);
  });

  it('a backend off this machine named by the workspace\'s settings is not used until the user allows it', async () => {
    // 192.0.2.0/24 is reserved for documentation: nothing may be sent there, and nothing is.
    // A list unlike the one before, so that seeing it applied proves the remote one was left out.
    await setSetting('backends', [backends.ports[0], '192.0.2.7:80']);
    await waitFor('the settings applied without the remote backend', () => configuredPorts().join() === String(backends.ports[0]));
    assert.deepEqual(api.balancer.get('default').snapshot().backends.map((backend) => backend.id), [`127.0.0.1:${backends.ports[0]}`]);
    await setSetting('backends', backends.ports);
    await waitFor('the backends restored', () => configuredPorts().join() === backends.ports.join());
  });

  it('a frontend port in use leaves the balancer stopped and the setting unchanged', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      assert.equal(await vscode.commands.executeCommand('localLb.start'), false);
      assert.equal(api.balancer.running, false);
      assert.equal(vscode.workspace.getConfiguration('localLb').get('frontend.port'), port);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
