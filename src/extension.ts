// Activation wiring: creates the extension's parts and connects them. Each part lives in src/vscode.
import * as vscode from 'vscode';
import { BackendsTreeProvider } from './vscode/backendsTree';
import { BackendTerminals } from './vscode/backendTerminals';
import { BalancerService } from './vscode/balancerService';
import { registerCommands } from './vscode/commands';
import { SettingsFollower } from './vscode/followSettings';
import { useTranslator } from './vscode/l10n';
import { followCopy } from './vscode/launching';
import { createLog } from './vscode/log';
import { faultCount } from './vscode/presentation';
import { followProcfile } from './vscode/procfileContext';
import { RemoteBackendConsent } from './vscode/remoteBackendConsent';
import type { Services } from './vscode/services';
import { BalancerStatusBar } from './vscode/statusBar';
import { ToxiproxyApiService } from './vscode/toxiproxyApiService';
import { TRAFFIC_VIEW_TYPE, TrafficPanels } from './vscode/traffic/trafficPanel';

/** What `activate` returns: the extension's parts, for its integration tests. */
export type LocalLbApi = Services;

/** `deactivate` has to be done within 2 s; open connections get most of that to finish. */
const DEACTIVATE_DRAIN_MS = 1500;

let active: Services | undefined;

export function activate(context: vscode.ExtensionContext): LocalLbApi {
  useTranslator(vscode.l10n.t);
  const log = createLog();
  const consent = new RemoteBackendConsent(context.workspaceState, log, () => void settings.apply());
  const settings = new SettingsFollower(consent, log);
  const balancer = new BalancerService(settings.read(), log);
  const toxiproxy = new ToxiproxyApiService(balancer, log);
  settings.follow(balancer, toxiproxy);
  void toxiproxy.applySettings(balancer.settings);
  const terminals = new BackendTerminals();
  const sampleFlaskApp = vscode.Uri.joinPath(context.extensionUri, 'samples', 'flask', 'app.py').fsPath;
  const tree = new BackendsTreeProvider(balancer, terminals);
  const view = vscode.window.createTreeView('localLb.backends', { treeDataProvider: tree });
  const statusBar = new BalancerStatusBar(balancer);
  const traffic = new TrafficPanels(context.extensionUri, balancer, log);
  const services: Services = { balancer, terminals, sampleFlaskApp, tree, statusBar, log, consent, traffic, toxiproxy };

  // Context keys for `when` clauses, set only when they change.
  let running: boolean | undefined;
  let anyStopped: boolean | undefined;
  let hasFaults: boolean | undefined;
  const updateContextKeys = (): void => {
    if (running !== balancer.running) {
      running = balancer.running;
      void vscode.commands.executeCommand('setContext', 'localLb.running', running);
    }
    // With several pools, some may run and others not: Start and Stop both apply.
    const stopped = balancer.settingsPools.some((pool) => !pool.running);
    if (anyStopped !== stopped) {
      anyStopped = stopped;
      void vscode.commands.executeCommand('setContext', 'localLb.anyStopped', stopped);
    }
    const faulty = balancer.pools.some((pool) => faultCount(pool.snapshot()) > 0);
    if (hasFaults !== faulty) {
      hasFaults = faulty;
      void vscode.commands.executeCommand('setContext', 'localLb.hasFaults', faulty);
    }
  };
  updateContextKeys();

  context.subscriptions.push(
    log,
    toxiproxy,
    balancer,
    settings,
    terminals,
    view,
    statusBar,
    traffic,
    vscode.window.registerWebviewPanelSerializer(TRAFFIC_VIEW_TYPE, traffic),
    ...registerCommands(services),
    balancer.onDidChange(() => {
      tree.refresh();
      updateContextKeys();
    }),
    terminals.onDidChange(() => tree.refresh()),
    terminals.onDidChangeCopy((change) => followCopy(services, change)),
    followProcfile(),
  );
  if (balancer.settings.autoStart) void vscode.commands.executeCommand('localLb.start');
  active = services;
  return services;
}

export async function deactivate(): Promise<void> {
  await Promise.all([active?.balancer.stop(Math.min(active.balancer.settings.drainMs, DEACTIVATE_DRAIN_MS)), active?.toxiproxy.close()]);
  active = undefined;
}
