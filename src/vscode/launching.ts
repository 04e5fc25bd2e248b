// Launching a pool's copies in VS Code: what a pool launches (its setting, or Flask as before), the
// checks (a trusted workspace, what the preset needs), the terminals, and the balancer told when a
// copy is starting, exits or comes back.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { DEFAULT_HOST, errorCode, type Health } from '../balancer';
import { appCommand, defaultLaunch, freePorts, PRESETS, READY_TIMEOUT_MS, type AppCommand, type LaunchSpec } from '../launch';
import type { CopyChange, LaunchOptions } from './backendTerminals';
import { t } from './l10n';
import type { Services } from './services';
import type { ExtensionSettings } from './settingsParser';

export type LaunchParts = Pick<Services, 'balancer' | 'terminals' | 'log' | 'sampleFlaskApp'>;

/** The folder copies run in and relative launch folders start from: the first workspace folder's, else the home folder. */
export function workspaceFolder(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
}

/**
 * What `pool` launches: its launch setting, else (`undefined` with `orFlask` false) Flask as Local
 * LB always launched it.
 */
export function configuredLaunch(settings: ExtensionSettings, pool: string, sampleFlaskApp: string, orFlask = true): LaunchSpec | undefined {
  const spec = settings.launches.get(pool) ?? (orFlask ? defaultLaunch() : undefined);
  return spec && withFlaskSettings(spec, settings, sampleFlaskApp);
}

/**
 * The Python presets run `localLb.flask.pythonPath` unless the launch names an interpreter; Flask's
 * takes its app, environment and `MSG` from `localLb.flask.*` too, unless the launch says otherwise.
 */
export function withFlaskSettings(spec: LaunchSpec, { flask }: ExtensionSettings, sampleFlaskApp: string): LaunchSpec {
  if (spec.preset === undefined || !PRESETS[spec.preset].python) return spec;
  const python = spec.python ?? flask.pythonPath;
  if (spec.preset !== 'flask') return { ...spec, python };
  return { ...spec, python, target: spec.target ?? (flask.appPath || sampleFlaskApp), env: { ...flask.env, MSG: flask.messageTemplate, ...spec.env } };
}

/** Whether launching may run programs here; when not, says why and offers the trust settings. */
export function mayLaunch(log: vscode.LogOutputChannel): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = t('Manage Workspace Trust');
  log.warn(t('Refused to launch backends: the workspace is not trusted.'));
  void vscode.window
    .showWarningMessage(t('Launching backends runs the programs your settings name, so Local LB does it only in a trusted workspace.'), manage)
    .then((choice) => choice === manage && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

/** The command of `spec`, checked; undefined, the problem shown, when something it needs is missing. */
export async function checkedCommand(spec: LaunchSpec, log: vscode.LogOutputChannel): Promise<AppCommand | undefined> {
  try {
    return await appCommand(spec, workspaceFolder());
  } catch (error) {
    if (errorCode(error) === undefined) throw error;
    log.error((error as Error).message);
    void vscode.window.showErrorMessage((error as Error).message);
    return undefined;
  }
}

/**
 * Launches `spec` on `ports` for `pool`; returns the ports launched. Copies are named `label` (a
 * Procfile's type), else by their pool, else, for the pool `default`, by what they run. A balanced
 * copy (a backend's) takes no traffic until it accepts connections.
 */
export async function launchOnPorts(
  parts: LaunchParts,
  pool: string,
  spec: LaunchSpec,
  ports: readonly number[],
  { balanced = true, label, remember }: { balanced?: boolean; label?: string; remember?: boolean } = {},
): Promise<number[]> {
  if (!mayLaunch(parts.log)) return [];
  const app = await checkedCommand(spec, parts.log);
  if (!app) return [];
  app.label = label ?? (pool === 'default' ? app.label : pool);
  return startCopies(parts, pool, app, ports, { restart: spec.restart, balanced, remember });
}

/** Starts `app`, checked already, on `ports` for `pool`; a balanced copy takes no traffic until it accepts connections. */
export function startCopies(parts: LaunchParts, pool: string, app: AppCommand, ports: readonly number[], options: LaunchOptions): number[] {
  const { balanced } = options;
  // A copy's number is its backend's place in the pool: `web.2` is the second backend.
  const local = balanced ? parts.balancer.get(pool).snapshot().backends.filter((b) => b.host === DEFAULT_HOST).map((b) => b.port) : [];
  const { launched, alreadyRunning } = parts.terminals.launch(
    ports.map((port, i) => ({ port, index: local.includes(port) ? local.indexOf(port) + 1 : i + 1 })),
    app,
    options,
  );
  for (const copy of launched) {
    parts.log.info(t('Launched {0} on port {1}: {2}', app.label, copy.port, app.command.join(' ')));
    if (!balanced) continue;
    applyHealth(parts, copy.port, 'down', t('{0} is starting', copy.name));
    void copy.acceptsBy(Date.now() + READY_TIMEOUT_MS).then((accepting) => accepting && applyHealth(parts, copy.port, 'up', t('{0} accepts connections', copy.name)));
  }
  if (alreadyRunning.length > 0) parts.log.info(t('Already running on {0}.', alreadyRunning.join(', ')));
  return launched.map((copy) => copy.port);
}

/** A copy's exit or return, told to the log and to every pool that has it as a backend. */
export function followCopy(parts: LaunchParts, change: CopyChange): void {
  if (change.how === undefined) {
    parts.log.info(t('{0} (port {1}) is back: it takes traffic again', change.name, change.port));
    if (change.balanced) applyHealth(parts, change.port, 'up', t('{0} accepts connections again', change.name));
    return;
  }
  const next = change.restartInMs === undefined ? '' : t('; started again in {0} s', change.restartInMs / 1000);
  parts.log.warn(`${change.name} (port ${change.port}) ${change.how}${change.balanced ? t(': it takes no traffic') : ''}${next}`);
  if (change.balanced) applyHealth(parts, change.port, 'down', `${change.name} ${change.how}`);
}

/** Marks the backend on this machine's `port` up or down in every pool of the settings that has it. */
function applyHealth({ balancer }: LaunchParts, port: number, health: Health, reason: string): void {
  for (const pool of balancer.settingsPools) {
    if (pool.snapshot().backends.some((backend) => backend.host === DEFAULT_HOST && backend.port === port)) pool.loadBalancer.applyHealth(`${DEFAULT_HOST}:${port}`, health, reason);
  }
}

/** `spec.replicas` ports from its base port that nothing listens on and no pool has as a backend; each one skipped is logged. */
export function freeBackendPorts(parts: Pick<LaunchParts, 'balancer' | 'log'>, spec: Pick<LaunchSpec, 'basePort' | 'replicas'>): Promise<number[]> {
  const taken = new Set(parts.balancer.pools.flatMap((pool) => pool.snapshot().backends.filter((b) => b.host === DEFAULT_HOST).map((b) => b.port)));
  return freePorts(spec.basePort, spec.replicas, taken, (port) => parts.log.info(t('Port {0} is in use: the next one is tried.', port)));
}
