// Every command of the extension, registered in one place.
import * as vscode from 'vscode';
import type { BackendsNode } from '../backendsTree';
import type { Services } from '../services';
import { addBackend } from './addBackend';
import { disableBackend } from './disableBackend';
import { enableBackend } from './enableBackend';
import { launchBackendTerminal } from './launchBackendTerminal';
import { launchFlaskBackends } from './launchFlaskBackends';
import { openBackendInBrowser, openFrontendInBrowser } from './openInBrowser';
import { removeBackend } from './removeBackend';
import { restartBalancer } from './restartBalancer';
import { sendTestRequests } from './sendTestRequests';
import { showStatusMenu } from './showStatusMenu';
import { startBalancer } from './startBalancer';
import { stopBalancer } from './stopBalancer';
import { stopBackendTerminal } from './stopBackendTerminal';
import { stopFlaskBackends } from './stopFlaskBackends';

/** Tree items pass their node; the palette passes nothing; tests and other callers an id or port. */
type Target = BackendsNode | string | undefined;
const asTarget = (arg: unknown): Target => (typeof arg === 'number' ? String(arg) : (arg as Target));
const asNumber = (arg: unknown): number | undefined => (typeof arg === 'number' ? arg : undefined);

export function registerCommands(services: Services): vscode.Disposable[] {
  const commands: Record<string, (arg?: unknown) => unknown> = {
    'localLb.start': (arg) => startBalancer(services, asNumber(arg)),
    'localLb.stop': () => stopBalancer(services),
    'localLb.restart': () => restartBalancer(services),
    'localLb.launchFlaskBackends': () => launchFlaskBackends(services),
    'localLb.stopFlaskBackends': () => stopFlaskBackends(services),
    'localLb.addBackend': (arg) => addBackend(services, typeof arg === 'string' ? arg : undefined),
    'localLb.removeBackend': (arg) => removeBackend(services, asTarget(arg)),
    'localLb.disableBackend': (arg) => disableBackend(services, asTarget(arg)),
    'localLb.enableBackend': (arg) => enableBackend(services, asTarget(arg)),
    'localLb.sendTestRequests': (arg) => sendTestRequests(services, asNumber(arg)),
    'localLb.openFrontendInBrowser': () => openFrontendInBrowser(services),
    'localLb.openBackendInBrowser': (arg) => openBackendInBrowser(services, asTarget(arg)),
    'localLb.launchBackendTerminal': (arg) => launchBackendTerminal(services, asTarget(arg)),
    'localLb.stopBackendTerminal': (arg) => stopBackendTerminal(services, asTarget(arg)),
    'localLb.showLog': () => services.log.show(),
    'localLb.resetStatistics': () => services.balancer.balancer.resetStatistics(),
    'localLb.refresh': () => services.tree.refresh(),
    'localLb.showStatusMenu': () => showStatusMenu(services),
  };
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
