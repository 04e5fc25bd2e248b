import assert from 'node:assert/strict';
import { connect, createServer, type Server } from 'node:net';
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { findFreePort } from '../../../src/balancer/freePort';
import type { LocalLbApi } from '../../../src/extension';
import { extensionApi, setSetting, treeRows, waitFor } from './helpers';

/** One client through the frontend; resolves however the connection ends. */
function connectOnce(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('hello'));
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    socket.resume();
  });
}

describe('Local LB under resets and load', () => {
  let api: LocalLbApi;
  let resetter: Server;

  before(async () => {
    api = await extensionApi();
    // Accepts every connection and resets it as soon as the client speaks.
    resetter = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.resetAndDestroy());
    });
    await new Promise<void>((resolve) => resetter.listen(0, '127.0.0.1', resolve));
    await setSetting('frontend.port', await findFreePort());
    // Resets and the data paths are TCP mode's; HTTP mode's load has its own test.
    await setSetting('mode', 'tcp');
    await setSetting('backends', [(resetter.address() as { port: number }).port]);
    await waitFor('the resetting backend configured', () => api.balancer.get('default').snapshot().backends.length === 1);
    await vscode.commands.executeCommand('localLb.resetStatistics');
    assert.equal(await vscode.commands.executeCommand('localLb.start'), true);
  });

  after(async () => {
    await setSetting('dataPath', undefined);
    await setSetting('mode', undefined);
    await vscode.commands.executeCommand('localLb.stop');
    await new Promise((resolve) => resetter.close(resolve));
  });

  it('1000 resets leave the extension host responsive and the tree telling the truth', async () => {
    const port = api.balancer.get('default').address()?.port ?? 0;
    let sent = 0;
    const load = Promise.all(
      Array.from({ length: 50 }, async () => {
        while (sent < 1000) {
          sent++;
          await connectOnce(port);
        }
      }),
    );
    // Round trips to the workbench while the resets happen: each must complete within a second.
    let slowest = 0;
    let probes = 0;
    while (sent < 1000) {
      const started = performance.now();
      await vscode.commands.executeCommand('setContext', 'localLb.probe', probes++);
      slowest = Math.max(slowest, performance.now() - started);
    }
    await load;
    assert.ok(probes > 0 && slowest < 1000, `slowest of ${probes} commands: ${slowest.toFixed(0)} ms`);
    const rows = await waitFor('the tree to show all 1000', () => {
      const current = treeRows(api);
      return current[0]?.description === 'listening · 0 active · 1000 total' && current;
    });
    assert.equal(rows[1].description, 'up · 0 active · 100%');
    assert.equal(api.balancer.get('default').snapshot().backends[0].totalConnections, 1000);
  });

  it('the extension host serves on the handles data path, the fast one', function () {
    const { dataPath } = api.balancer.get('default').snapshot().frontend;
    this.test!.title += ` (measured: ${dataPath ?? 'none'} on Node ${process.version} in VS Code ${vscode.version})`;
    assert.equal(dataPath, 'handles');
  });

  for (const dataPath of ['handles', 'sockets'] as const) {
    it(`a full load through the balancer leaves the extension host's event loop free, on the ${dataPath} data path`, async function () {
      await setSetting('dataPath', dataPath);
      await waitFor(`the ${dataPath} data path serving`, () => api.balancer.get('default').snapshot().frontend.dataPath === dataPath);
      const { requests, p99, max } = await fullLoad();
      this.test!.title += ` (measured: ${requests} requests in 3 s, event loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; target p99 < 20 ms)`;
      assert.ok(requests > 1000, `${requests} requests`);
      assert.ok(p99 < 20, `event loop delay p99 ${p99.toFixed(1)} ms, over the 20 ms target`);
    });
  }

  it('1000 connections through a latency fault leave the extension host\'s event loop free', async function () {
    await setSetting('dataPath', undefined);
    await waitFor('the handles data path serving', () => api.balancer.get('default').snapshot().frontend.dataPath === 'handles');
    const { requests, p99, max } = await fullLoad(1000, (backendPort) =>
      vscode.commands.executeCommand('localLb.addFault', String(backendPort), { type: 'latency', attributes: { latency: 100, jitter: 50 } }),
    );
    await vscode.commands.executeCommand('localLb.clearFaults');
    this.test!.title += ` (measured: ${requests} requests in 3 s, event loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; target p99 < 20 ms)`;
    // Each request waits 50–150 ms: 1000 connections make at most about 30,000 in 3 s.
    assert.ok(requests > 5000, `${requests} requests`);
    assert.ok(p99 < 20, `event loop delay p99 ${p99.toFixed(1)} ms, over the 20 ms target`);
  });

  it('a full HTTP load in HTTP mode leaves the extension host\'s event loop free', async function () {
    await setSetting('mode', 'http');
    await waitFor('HTTP mode serving', () => api.balancer.get('default').snapshot().frontend.mode === 'http' && api.balancer.running);
    const { requests, p99, max } = await fullLoad();
    const counted = api.balancer.get('default').snapshot().frontend.requests?.total ?? 0;
    this.test!.title += ` (measured: ${requests} requests in 3 s, event loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; target p99 < 20 ms)`;
    assert.ok(requests > 1000 && counted >= requests, `${requests} requests, ${counted} counted`);
    assert.ok(p99 < 20, `event loop delay p99 ${p99.toFixed(1)} ms, over the 20 ms target`);
  });

  it('a full HTTP load with the traffic panel open leaves the extension host\'s event loop free', async function () {
    const posted: number[] = [];
    const listening = api.traffic.onDidPost((message) => posted.push(message.update.backends.reduce((sum, backend) => sum + backend.counts.reduce((a, b) => a + b, 0), 0)));
    try {
      await vscode.commands.executeCommand('localLb.showTraffic');
      await waitFor('the panel to be posted to', () => posted.length > 0);
      const before = posted.length;
      const { requests, p99, max } = await fullLoad();
      await waitFor('the load\'s requests in the messages', () => posted.slice(before).reduce((a, b) => a + b, 0) >= requests, 5000);
      this.test!.title += ` (measured: ${requests} requests in 3 s, ${posted.length} messages, event loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; target p99 < 20 ms)`;
      assert.ok(p99 < 20, `event loop delay p99 ${p99.toFixed(1)} ms, over the 20 ms target`);
    } finally {
      listening.dispose();
      api.traffic.current?.webviewPanel.dispose();
    }
  });

  /**
   * 3 s of kept-alive requests from `clients` connections through the frontend, with the event
   * loop's delay meanwhile; `prepare` runs once the backend is configured.
   */
  async function fullLoad(clients = 64, prepare?: (backendPort: number) => Thenable<unknown>): Promise<{ requests: number; p99: number; max: number }> {
    // Load and backend run in child processes, so that only the balancer works on this event loop.
    const backendScript = `require('http').createServer((q, r) => r.end('ok')).listen(0, '127.0.0.1', function () { console.log(this.address().port); })`;
    const backend = spawn(process.execPath, ['-e', backendScript], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const backendPort = Number(await new Promise<string>((resolve) => backend.stdout.once('data', (data: Buffer) => resolve(data.toString()))));
      await setSetting('backends', [backendPort]);
      await waitFor('the backend configured', () => api.balancer.get('default').snapshot().backends[0]?.port === backendPort);
      await prepare?.(backendPort);
      const port = api.balancer.get('default').address()?.port;
      const loadScript = `
        const http = require('http'); const agent = new http.Agent({ keepAlive: true, maxSockets: ${clients} });
        let done = 0; const end = Date.now() + 3000;
        const one = () => http.get({ host: '127.0.0.1', port: ${port}, agent }, (r) => { r.resume(); r.on('end', () => { done++; Date.now() < end ? one() : 0; }); }).on('error', () => {});
        for (let i = 0; i < ${clients}; i++) one();
        setTimeout(() => { console.log(done); process.exit(0); }, 3200);`;
      // Measured while the load runs: the spawn before it is the test's own work.
      const load = spawn(process.execPath, ['-e', loadScript], { stdio: ['ignore', 'pipe', 'ignore'] });
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const requests = Number(await new Promise<string>((resolve) => load.stdout.once('data', (data: Buffer) => resolve(data.toString()))));
      delay.disable();
      return { requests, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
    } finally {
      backend.kill();
    }
  }
});
