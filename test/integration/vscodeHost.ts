// Runs VS Code for the tests: the VS Code server from the npm package code-server, and its web
// workbench in headless Chromium driven by Playwright (docs/testing.md says why and how).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findFreePort } from '../../src/balancer/freePort';
import { ensureInstalled } from '../support/prerequisites';
import type { TestOutcome } from './suite/index';

export const ROOT = join(__dirname, '..', '..', '..');
const CHROMIUM = '/usr/bin/chromium';

/** Installs the VS Code server if needed, and Flask, which the suites run in its terminals; returns the path of its server-main.js. */
export function ensureVsCodeServer(): string {
  ensureInstalled('flask');
  ensureInstalled('frameworks');
  const serverMain = join(ROOT, ensureInstalled('vscode-server').trim().split('\n').pop() ?? '');
  if (!existsSync(serverMain)) throw new Error(`The VS Code server is missing after set-up: ${serverMain}`);
  return serverMain;
}

export interface VsCodeServer {
  port: number;
  userDataDir: string;
  extensionsDir: string;
  output(): string;
  stop(): Promise<void>;
}

/** A fresh VS Code server (own user data and extensions folders) on a free loopback port. */
export async function startVsCodeServer(
  serverMain: string,
  { userSettings, env = {}, vsix }: { userSettings: Record<string, unknown>; env?: NodeJS.ProcessEnv; vsix?: string },
): Promise<VsCodeServer> {
  const base = mkdtempSync(join(tmpdir(), 'local-lb-vscode-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir);
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  if (vsix) {
    const install = spawnSync(process.execPath, [serverMain, '--install-extension', vsix, '--extensions-dir', extensionsDir], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`Could not install ${vsix}:\n${install.stdout}${install.stderr}`);
  }
  const port = await findFreePort();
  const child = spawn(
    process.execPath,
    [
      serverMain,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--disable-telemetry',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
    ],
    // Its own process group, so that stopping it takes the extension host and terminals along.
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const server: VsCodeServer = {
    port,
    userDataDir,
    extensionsDir,
    output: () => output,
    stop: async () => {
      await killGroup(child);
      rmSync(base, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 60_000;
  while (!output.includes(`Extension host agent listening on ${port}`)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await server.stop();
      throw new Error(`The VS Code server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return server;
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export interface Workbench {
  browser: Browser;
  page: Page;
  /** What the page and the extension host wrote to the browser console. */
  console: string[];
  close(): Promise<void>;
}

/** Opens `url` in headless Chromium: the workbench of a VS Code server, or any page. */
export async function openInChromium(url: string): Promise<Workbench> {
  ensureInstalled('browser');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const lines: string[] = [];
  page.on('console', (message) => lines.push(message.text()));
  page.on('pageerror', (error) => lines.push(`page error: ${error.message}`));
  await page.goto(url);
  return { browser, page, console: lines, close: () => browser.close() };
}

/** A workspace folder holding the sample Flask app, with optional workspace settings. */
export function sampleWorkspace(settings?: Record<string, unknown>): string {
  const folder = mkdtempSync(join(tmpdir(), 'local-lb-workspace-'));
  cpSync(join(ROOT, 'samples', 'flask'), folder, { recursive: true });
  if (settings) {
    mkdirSync(join(folder, '.vscode'));
    writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  }
  return folder;
}

export function workbenchUrl(port: number, folder: string, payload?: Array<[string, string]>): string {
  const query = new URLSearchParams({ folder });
  if (payload) query.set('payload', JSON.stringify(payload));
  return `http://127.0.0.1:${port}/?${query.toString()}`;
}

export const BASE_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  // Otherwise a "Forwarded Ports" item names every port the tests open.
  'remote.autoForwardPorts': false,
  'security.workspace.trust.startupPrompt': 'never',
  // No attempts to reach the internet: there is none here, and tests must stay on loopback.
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'update.mode': 'none',
};

export const TRUSTED_USER_SETTINGS = { ...BASE_USER_SETTINGS, 'security.workspace.trust.enabled': false };

export interface SuiteRun {
  trusted: boolean;
  outcomes: TestOutcome[];
}

/**
 * Runs test/integration/suite inside a real extension host, with the extension under development,
 * in a trusted workspace or in Restricted Mode.
 */
export async function runIntegrationSuite(serverMain: string, trusted: boolean, timeoutMs = 240_000): Promise<SuiteRun> {
  const resultsFolder = mkdtempSync(join(tmpdir(), 'local-lb-results-'));
  const resultsPath = join(resultsFolder, 'results.json');
  const userSettings = trusted ? TRUSTED_USER_SETTINGS : BASE_USER_SETTINGS;
  const server = await startVsCodeServer(serverMain, { userSettings, env: { LOCAL_LB_TEST_RESULTS: resultsPath } });
  const workspace = sampleWorkspace(trusted ? undefined : { 'localLb.flask.pythonPath': '/nonexistent/workspace-python', 'localLb.launch': { command: 'touch /tmp/local-lb-untrusted' } });
  let workbench: Workbench | undefined;
  try {
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
    workbench = await openInChromium(
      workbenchUrl(server.port, workspace, [
        ['extensionDevelopmentPath', remote(ROOT)],
        ['extensionTestsPath', remote(join(ROOT, 'out', 'test', 'integration', 'suite', 'index.js'))],
      ]),
    );
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(resultsPath)) {
      if (Date.now() > deadline) {
        throw new Error(`No results after ${timeoutMs / 1000} s. Browser console:\n${workbench.console.slice(-60).join('\n')}\nServer:\n${server.output().slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return JSON.parse(readFileSync(resultsPath, 'utf8')) as SuiteRun;
  } finally {
    await workbench?.close();
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(resultsFolder, { recursive: true, force: true });
  }
}
