// Several pools from the setting `localLb.pools`: a row each in the tree, one status bar item summing
// them up, commands that ask which pool, a panel that names them, and changes that stay in their pool.
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import * as vscode from 'vscode';
import type { TrafficMessage } from '../../../src/balancer';
import { findFreePorts } from '../../../src/balancer/freePort';
import type { LocalLbApi } from '../../../src/extension';
import { extensionApi, httpBackends, setSetting, treeRows, waitFor } from './helpers';

function request(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe('several pools in VS Code', () => {
  let api: LocalLbApi;
  let backends: Awaited<ReturnType<typeof httpBackends>>;
  let web: number;
  let apiPort: number;
  let pools: Array<Record<string, unknown>>;

  const names = (): string => api.balancer.pools.map((pool) => pool.name).join();

  before(async () => {
    api = await extensionApi();
    backends = await httpBackends(['w1', 'w2', 'a1', 'a2']);
    [web, apiPort] = await findFreePorts(2);
    const [w1, w2, a1] = backends.ports;
    pools = [
      { name: 'web', frontend: { port: web }, backends: [w1, w2], healthCheck: { interval: 200 } },
      { name: 'api', frontend: { port: apiPort }, backends: [a1], healthCheck: { interval: 200 } },
    ];
    await setSetting('pools', pools);
    await waitFor('the pools from the settings', () => names() === 'web,api');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('localLb.stop');
  });

  after(async () => {
    await setSetting('pools', undefined);
    await waitFor('the pool default again', () => names() === 'default');
    await backends.close();
  });

  it('the tree shows a row per pool, its frontend, health and requests, with its backends under it', async () => {
    assert.equal(await vscode.commands.executeCommand('localLb.start'), true);
    await waitFor('every backend up', () => api.balancer.pools.every((pool) => pool.snapshot().backends.every((backend) => backend.state === 'up')));
    api.tree.refresh();
    const [w1, w2, a1] = backends.ports;
    assert.deepEqual(
      treeRows(api).map((row) => [row.label, row.description, row.contextValue]),
      [
        ['web', `:${web} 2/2 · 0 requests`, 'pool.running'],
        [`:${w1}`, 'up · 0 active · 0%', 'backend.enabled.noTerminal'],
        [`:${w2}`, 'up · 0 active · 0%', 'backend.enabled.noTerminal'],
        ['api', `:${apiPort} 1/1 · 0 requests`, 'pool.running'],
        [`:${a1}`, 'up · 0 active · 0%', 'backend.enabled.noTerminal'],
      ],
    );
    assert.deepEqual([await request(web), await request(web), await request(apiPort)], ['w1', 'w2', 'a1']);
  });

  it('the status bar sums the pools up; a pool stopped from its row leaves the other serving', async () => {
    await vscode.commands.executeCommand('localLb.start');
    await waitFor('2 pools · 3/3', () => api.statusBar.text === '$(radio-tower) 2 pools · 3/3');
    await vscode.commands.executeCommand('localLb.stop', { kind: 'pool', pool: 'api' });
    await waitFor('1/2 pools · 2/2', () => api.statusBar.text === '$(radio-tower) 1/2 pools · 2/2');
    await assert.rejects(request(apiPort), { code: 'ECONNREFUSED' });
    assert.match(await request(web), /^w[12]$/);
    await vscode.commands.executeCommand('localLb.start', { kind: 'pool', pool: 'api' });
    await waitFor('2 pools again', () => api.statusBar.text === '$(radio-tower) 2 pools · 3/3');
  });

  it('Send Test Requests from the palette asks which pool, and sends to the one chosen', async () => {
    await vscode.commands.executeCommand('localLb.start');
    let settled = false;
    const sent = Promise.resolve(vscode.commands.executeCommand<Array<{ body?: string }>>('localLb.sendTestRequests', 4)).finally(() => (settled = true));
    // The pick lists web first: accepting it chooses web.
    while (!settled) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.deepEqual([...new Set((await sent).map((result) => result.body))].sort(), ['w1', 'w2']);
  });

  it('a pool\'s settings change applies to it alone: api gets a backend, web keeps its open connection', async () => {
    await vscode.commands.executeCommand('localLb.start');
    const kept: Socket = connect(web, '127.0.0.1');
    await new Promise((resolve) => kept.once('connect', resolve));
    const [, , a1, a2] = backends.ports;
    await setSetting('pools', [pools[0], { ...pools[1], backends: [a1, a2] }]);
    await waitFor('api with two backends', () => api.balancer.get('api').snapshot().backends.length === 2);
    const answer = await new Promise<string>((resolve) => {
      kept.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      kept.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${web}\r\nConnection: close\r\n\r\n`);
    });
    assert.match(answer, /^HTTP\/1\.1 200/, 'web was not restarted');
    kept.destroy();
    await setSetting('pools', pools);
  });

  it('a pool added to the settings while running starts; removed, it stops and its port is free', async () => {
    await vscode.commands.executeCommand('localLb.start');
    const [auth] = await findFreePorts(1);
    await setSetting('pools', [...pools, { name: 'auth', frontend: { port: auth }, backends: [backends.ports[3]] }]);
    await waitFor('auth serving', () => api.balancer.pools.some((pool) => pool.name === 'auth' && pool.running));
    assert.equal(await request(auth), 'a2');
    await setSetting('pools', pools);
    await waitFor('auth gone', () => names() === 'web,api');
    await assert.rejects(request(auth), { code: 'ECONNREFUSED' });
    assert.equal(await request(apiPort), 'a1');
  });

  it('Launch Flask Backends from a pool\'s row launches that pool\'s backends only', async () => {
    const ports = await findFreePorts(2);
    await setSetting('pools', [...pools, { name: 'flask', frontend: { port: 0 }, backends: ports }]);
    await waitFor('the pool flask', () => names() === 'web,api,flask');
    try {
      const launched = await vscode.commands.executeCommand('localLb.launchFlaskBackends', { kind: 'pool', pool: 'flask' });
      assert.deepEqual(launched, ports);
      // A pool's copies are named by the pool.
      assert.deepEqual(vscode.window.terminals.filter((terminal) => terminal.name.startsWith('flask :')).map((terminal) => terminal.name).sort(), ports.map((port) => `flask :${port}`).sort());
    } finally {
      await vscode.commands.executeCommand('localLb.stopFlaskBackends');
      await setSetting('pools', pools);
    }
  });

  it('the traffic panel names the pool it shows and every pool it could', async () => {
    await vscode.commands.executeCommand('localLb.start');
    const messages: TrafficMessage[] = [];
    const listening = api.traffic.onDidPost((message) => messages.push(message));
    await vscode.commands.executeCommand('localLb.showTraffic');
    await waitFor('a full update', () => messages.find((message) => message.full));
    assert.deepEqual(messages.map(({ pool, pools: all }) => [pool, all.join()])[0], ['web', 'web,api']);
    listening.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a bad pool in the settings is left out; the good one runs', async () => {
    await setSetting('pools', [pools[0], { ...pools[1], frontend: { port: 70000 } }]);
    await waitFor('web alone', () => names() === 'web');
    assert.equal(await vscode.commands.executeCommand('localLb.start'), true);
    assert.match(await request(web), /^w[12]$/);
    await setSetting('pools', pools);
    await waitFor('both pools again', () => names() === 'web,api');
  });
});
