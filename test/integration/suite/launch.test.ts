import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { findFreePorts, isListening } from '../../../src/balancer/freePort';
import type { LocalLbApi } from '../../../src/extension';
import { httpGet } from '../../support/http';
import { ROOT } from '../../support/process';
import { freeLaunchPorts, pythonWith } from '../../support/processGroups';
import { backendItem, extensionApi, setSetting, treeRows, waitFor } from './helpers';

/** Listens on PORT, answers `copy PORT`, and exits with code 3 when asked for /exit. */
const APP = `require('http').createServer((q, s) => { if (q.url === '/exit') process.exit(3); s.end('copy ' + process.env.PORT); }).listen(process.env.PORT, '127.0.0.1')`;

const terminalNames = (prefix: string): string[] => vscode.window.terminals.filter((terminal) => terminal.name.startsWith(prefix)).map((terminal) => terminal.name).sort();

/** Runs a command that shows picks and input boxes, accepting what each offers first, until it ends. */
async function acceptingEachPick<T>(command: string, ...args: unknown[]): Promise<T> {
  let settled = false;
  const result = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)).finally(() => (settled = true));
  while (!settled) {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return result;
}

describe('Launching any app', () => {
  let api: LocalLbApi;
  let ports: number[];
  const pool = (): ReturnType<LocalLbApi['balancer']['get']> => api.balancer.get('default');
  const stateOf = (port: number): string | undefined => pool().snapshot().backends.find((backend) => backend.port === port)?.state;
  const folder = (): string => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

  /** Sets the launch setting and waits until the extension reads it. */
  async function setLaunch(launch: Record<string, unknown> | undefined): Promise<void> {
    await setSetting('launch', launch);
    await waitFor('the launch setting read', () => (api.balancer.settings.launches.get('default') === undefined) === (launch === undefined));
  }

  before(async () => {
    api = await extensionApi();
  });

  beforeEach(async () => {
    const [frontend] = await findFreePorts(1);
    // Copies' ports below the ephemeral range: there, an outgoing connection could take one before its copy binds it.
    ports = await freeLaunchPorts(3);
    await setSetting('frontend.port', frontend);
    await setSetting('backends', ports);
    await waitFor('the backends from the settings', () => pool().snapshot().backends.map((b) => b.port).join() === ports.join());
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('localLb.stopBackends');
    await vscode.commands.executeCommand('localLb.stop');
    await setLaunch(undefined);
    await setSetting('healthCheck.interval', undefined);
  });

  it('Launch Backends starts the pool\'s launch: three FastAPI copies in terminals named by port, each answering in turn', async () => {
    await setLaunch({ preset: 'fastapi', cwd: join(ROOT, 'samples', 'fastapi'), python: pythonWith('fastapi', 'uvicorn') });
    await vscode.commands.executeCommand('localLb.start');
    assert.deepEqual(await vscode.commands.executeCommand('localLb.launchBackends'), ports);
    assert.deepEqual(terminalNames('FastAPI :'), ports.map((port) => `FastAPI :${port}`).sort());
    await waitFor('three copies up', () => ports.every((port) => stateOf(port) === 'up'), 30_000);
    const results = (await vscode.commands.executeCommand('localLb.sendTestRequests', 6)) as Array<{ body?: string }>;
    // Round robin: each copy once in every three requests, whichever it began with.
    const bodies = results.map((result) => result.body);
    assert.deepEqual(bodies.slice(0, 3).sort(), ports.map((port) => `hello from FastAPI on port ${port}`).sort());
    assert.deepEqual(bodies.slice(3), bodies.slice(0, 3));
    assert.deepEqual(treeRows(api).slice(1).map((row) => row.contextValue), ports.map(() => 'backend.enabled.terminal'));
  });

  it('a copy that exits is marked down at once, with how it ended in its tooltip and the traffic band, long before a health check', async () => {
    await setSetting('healthCheck.interval', 60_000);
    await setLaunch({ command: [process.execPath, '-e', APP] });
    await vscode.commands.executeCommand('localLb.start');
    const downs: string[] = [];
    const posted = api.traffic.onDidPost((message) => downs.push(...message.update.backends.flatMap((backend) => backend.down ?? [])));
    await vscode.commands.executeCommand('localLb.showTraffic');
    await vscode.commands.executeCommand('localLb.launchBackends');
    await waitFor('the copies up', () => ports.every((port) => stateOf(port) === 'up'), 20_000);
    await httpGet(`http://127.0.0.1:${ports[0]}/exit`).catch(() => undefined);
    await waitFor('the copy marked down', () => stateOf(ports[0]) === 'down', 5000);
    const tooltip = backendItem(api, ports[0])?.tooltip;
    assert.match(tooltip instanceof vscode.MarkdownString ? tooltip.value : String(tooltip), /app terminal \| exited with code 3/);
    assert.deepEqual([stateOf(ports[1]), stateOf(ports[2])], ['up', 'up']);
    await waitFor('the band told why', () => downs.includes('app.1 exited with code 3'));
    posted.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('with restart on, a copy that exits starts again and takes traffic again; the tooltip counts the restart', async () => {
    await setSetting('healthCheck.interval', 60_000);
    await setLaunch({ command: [process.execPath, '-e', APP], restart: true });
    await vscode.commands.executeCommand('localLb.start');
    await vscode.commands.executeCommand('localLb.launchBackends');
    await waitFor('the copies up', () => ports.every((port) => stateOf(port) === 'up'), 20_000);
    await httpGet(`http://127.0.0.1:${ports[0]}/exit`).catch(() => undefined);
    await waitFor('the copy marked down', () => stateOf(ports[0]) === 'down', 5000);
    await waitFor('the copy back', () => api.terminals.state(ports[0])?.restarts === 1 && stateOf(ports[0]) === 'up', 10_000);
    const tooltip = backendItem(api, ports[0])?.tooltip;
    assert.match(tooltip instanceof vscode.MarkdownString ? tooltip.value : String(tooltip), /app terminal \| running, restarted once/);
  });

  it('Stop Backends stops every copy: their ports close and their terminals go', async () => {
    await setLaunch({ command: [process.execPath, '-e', APP] });
    await vscode.commands.executeCommand('localLb.launchBackends');
    for (const port of ports) {
      for (let tries = 0; !(await isListening(port)); tries++) {
        assert.ok(tries < 200, `:${port} never listened`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    assert.equal(await vscode.commands.executeCommand('localLb.stopBackends'), 3);
    await waitFor('their terminals gone', () => terminalNames('app :').length === 0);
    for (const port of ports) assert.equal(await isListening(port), false, `:${port} still listens`);
  });

  it('Launch Backends with no launch setting offers what the workspace suggests first, and saves the choice', async () => {
    // The workspace holds the sample Flask app: its app.py makes a Flask app.
    const launched = await acceptingEachPick<number[]>('localLb.launchBackends');
    assert.deepEqual(launched, ports);
    assert.deepEqual(terminalNames('Flask :'), ports.map((port) => `Flask :${port}`).sort());
    assert.deepEqual(vscode.workspace.getConfiguration('localLb').get('launch'), { preset: 'flask' });
  });

  it('Launch from Procfile… balances the type chosen on the pool\'s backends and runs the others once beside them', async () => {
    const procfile = join(folder(), 'Procfile');
    writeFileSync(procfile, `web: ${JSON.stringify(process.execPath)} -e "${APP.replace(/"/g, '\\"')}"\nworker: ${JSON.stringify(process.execPath)} -e "setInterval(() => {}, 1000)"\n`);
    try {
      await vscode.commands.executeCommand('localLb.start');
      const launched = await acceptingEachPick<number[]>('localLb.launchFromProcfile');
      assert.deepEqual(launched, ports);
      assert.deepEqual(terminalNames('web :'), ports.map((port) => `web :${port}`).sort());
      assert.equal(terminalNames('worker :').length, 1);
      await waitFor('the web copies up', () => ports.every((port) => stateOf(port) === 'up'), 20_000);
      const results = (await vscode.commands.executeCommand('localLb.sendTestRequests', 3)) as Array<{ body?: string }>;
      assert.deepEqual(results.map((result) => result.body).sort(), ports.map((port) => `copy ${port}`).sort());
      // The inline buttons stop a copy and launch it again as the Procfile says.
      await vscode.commands.executeCommand('localLb.stopBackendTerminal', String(ports[0]));
      await waitFor('its terminal gone', () => !terminalNames('web :').includes(`web :${ports[0]}`));
      assert.deepEqual(await vscode.commands.executeCommand('localLb.launchBackendTerminal', String(ports[0])), [ports[0]]);
      assert.ok(terminalNames('web :').includes(`web :${ports[0]}`));
    } finally {
      rmSync(procfile, { force: true });
    }
  });

  it('a command\'s words and environment reach the app as data: $(…), backticks and ; run nothing', async () => {
    const markers = mkdtempSync(join(tmpdir(), 'local-lb-injection-'));
    try {
      const hostile = `$(touch ${markers}/a) \`touch ${markers}/b\`; touch ${markers}/c`;
      const echo = `require('http').createServer((q, s) => s.end(process.argv[1] + '|' + process.env.NOTE)).listen(process.env.PORT, '127.0.0.1')`;
      await setLaunch({ command: [process.execPath, '-e', echo, hostile], env: { NOTE: `${hostile} {port}` } });
      await vscode.commands.executeCommand('localLb.launchBackendTerminal', String(ports[0]));
      for (let tries = 0; !(await isListening(ports[0])); tries++) {
        assert.ok(tries < 200, 'the copy never listened');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal((await httpGet(`http://127.0.0.1:${ports[0]}/`)).body, `${hostile}|${hostile} ${ports[0]}`);
      assert.deepEqual(readdirSync(markers), []);
    } finally {
      rmSync(markers, { recursive: true, force: true });
    }
  });

  it('a preset missing what it needs is refused with a message naming it, and opens no terminal', async () => {
    await setLaunch({ preset: 'django' });
    assert.deepEqual(await vscode.commands.executeCommand('localLb.launchBackends'), []);
    assert.deepEqual(terminalNames('Django :'), []);
  });
});
