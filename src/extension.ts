// Activation wiring: creates the extension's parts and connects them. Each part lives in src/vscode.
import * as vscode from 'vscode';
import { BackendsTreeProvider } from './vscode/backendsTree';
import { BalancerService } from './vscode/balancerService';
import { registerCommands } from './vscode/commands';
import { onDidChangeSettings, readSettings } from './vscode/configuration';
import { FlaskTerminals } from './vscode/flaskTerminals';
import { t, useTranslator } from './vscode/l10n';
import { createLog, logBalancer } from './vscode/log';
import { RemoteBackendConsent } from './vscode/remoteBackendConsent';
import type { Services } from './vscode/services';
import { BalancerStatusBar } from './vscode/statusBar';

/** What `activate` returns: the extension's parts, for its integration tests. */
export type LocalLbApi = Services;

/** `deactivate` has to be done within 2 s; open connections get most of that to finish. */
const DEACTIVATE_DRAIN_MS = 1500;

let active: Services | undefined;

export function activate(context: vscode.ExtensionContext): LocalLbApi {
  useTranslator(vscode.l10n.t);
  const log = createLog();
  const consent = new RemoteBackendConsent(context.workspaceState, log, () => void applySettings(services, consent));
  const { settings, problems } = readSettings();
  const balancer = new BalancerService(consent.filter(settings), log);
  const balancerLog = logBalancer(balancer.balancer, log);
  const terminals = new FlaskTerminals(vscode.Uri.joinPath(context.extensionUri, 'samples', 'flask', 'app.py'));
  const tree = new BackendsTreeProvider(balancer, terminals);
  const view = vscode.window.createTreeView('localLb.backends', { treeDataProvider: tree });
  const statusBar = new BalancerStatusBar(balancer);
  const services: Services = { balancer, terminals, tree, statusBar, log, consent };

  let running: boolean | undefined;
  const updateRunningContext = (): void => {
    if (running === balancer.running) return;
    running = balancer.running;
    void vscode.commands.executeCommand('setContext', 'localLb.running', running);
  };
  updateRunningContext();

  context.subscriptions.push(
    log,
    balancerLog,
    balancer,
    terminals,
    view,
    statusBar,
    ...registerCommands(services),
    balancer.onDidChange(() => {
      tree.refresh();
      updateRunningContext();
    }),
    terminals.onDidChange(() => tree.refresh()),
    onDidChangeSettings(() => void applySettings(services, consent)),
  );
  reportProblems(log, problems);
  if (settings.autoStart) void vscode.commands.executeCommand('localLb.start');
  active = services;
  return services;
}

export async function deactivate(): Promise<void> {
  await active?.balancer.stop(Math.min(active.balancer.drainMs, DEACTIVATE_DRAIN_MS));
  active = undefined;
}

async function applySettings(services: Services, consent: RemoteBackendConsent): Promise<void> {
  const { settings, problems } = readSettings();
  reportProblems(services.log, problems);
  try {
    await services.balancer.applySettings(consent.filter(settings));
  } catch (error) {
    services.log.error((error as Error).message);
    void vscode.window.showErrorMessage(t('Local LB could not apply the settings: {0}', (error as Error).message));
  }
}

let lastProblems = '';

/** Each bad setting is named in the log; one notification points there, not again for the same ones. */
function reportProblems(log: vscode.LogOutputChannel, problems: string[]): void {
  for (const problem of problems) log.warn(problem);
  const key = problems.join('\n');
  if (problems.length === 0 || key === lastProblems) {
    lastProblems = key;
    return;
  }
  lastProblems = key;
  const show = t('Show Log');
  void vscode.window
    .showWarningMessage(t('Local LB ignored {0} invalid setting(s); the log names each one.', problems.length), show)
    .then((choice) => choice === show && log.show());
}
