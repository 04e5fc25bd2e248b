// Every command of the extension, registered in one place through one error-reporting wrapper.
import type * as vscode from 'vscode';
import type { FaultSpec } from '../../balancer';
import type { Services } from '../services';
import { addBackend } from './addBackend';
import { addFault } from './addFault';
import { disableBackend } from './disableBackend';
import { enableBackend } from './enableBackend';
import { exportConfiguration } from './exportConfiguration';
import { launchBackendTerminal } from './launchBackendTerminal';
import { launchFlaskBackends } from './launchFlaskBackends';
import { openBackendInBrowser } from './openBackendInBrowser';
import { openFrontendInBrowser } from './openFrontendInBrowser';
import type { BackendTarget } from './pickBackend';
import { registerCommand } from './registerCommand';
import { removeBackend } from './removeBackend';
import { removeFault } from './removeFault';
import { restartBalancer } from './restartBalancer';
import { sendTestRequests } from './sendTestRequests';
import { setMode } from './setMode';
import { showStatusMenu } from './showStatusMenu';
import { showTraffic } from './showTraffic';
import { startBalancer } from './startBalancer';
import { stopBackendTerminal } from './stopBackendTerminal';
import { stopBalancer } from './stopBalancer';
import { stopFlaskBackends } from './stopFlaskBackends';

const asTarget = (arg: unknown): BackendTarget => (typeof arg === 'number' ? String(arg) : (arg as BackendTarget));
const asNumber = (arg: unknown): number | undefined => (typeof arg === 'number' ? arg : undefined);

export function registerCommands(parts: Services): vscode.Disposable[] {
  const commands: Record<string, (arg?: unknown, second?: unknown) => unknown> = {
    'localLb.start': (arg) => startBalancer(parts, asNumber(arg)),
    'localLb.stop': () => stopBalancer(parts),
    'localLb.restart': () => restartBalancer(parts),
    'localLb.launchFlaskBackends': () => launchFlaskBackends(parts),
    'localLb.stopFlaskBackends': () => stopFlaskBackends(parts),
    'localLb.addBackend': (arg) => addBackend(parts, typeof arg === 'string' ? arg : undefined),
    'localLb.removeBackend': (arg) => removeBackend(parts, asTarget(arg)),
    'localLb.disableBackend': (arg) => disableBackend(parts, asTarget(arg)),
    'localLb.enableBackend': (arg) => enableBackend(parts, asTarget(arg)),
    'localLb.sendTestRequests': (arg) => sendTestRequests(parts, asNumber(arg)),
    'localLb.openFrontendInBrowser': () => openFrontendInBrowser(parts),
    'localLb.openBackendInBrowser': (arg) => openBackendInBrowser(parts, asTarget(arg)),
    'localLb.launchBackendTerminal': (arg) => launchBackendTerminal(parts, asTarget(arg)),
    'localLb.stopBackendTerminal': (arg) => stopBackendTerminal(parts, asTarget(arg)),
    'localLb.addFault': (arg, spec) => addFault(parts, asTarget(arg), spec as FaultSpec | undefined),
    'localLb.removeFault': (arg, name) => removeFault(parts, asTarget(arg), typeof name === 'string' ? name : undefined),
    'localLb.clearFaults': () => parts.balancer.clearFaults(),
    'localLb.showLog': () => parts.log.show(),
    'localLb.resetStatistics': () => parts.balancer.resetStatistics(),
    'localLb.refresh': () => parts.tree.refresh(),
    'localLb.showStatusMenu': () => showStatusMenu(parts),
    'localLb.setMode': (arg) => setMode(parts, arg),
    'localLb.showTraffic': () => showTraffic(parts),
    'localLb.exportConfiguration': (arg) => exportConfiguration(parts, arg),
  };
  return Object.entries(commands).map(([id, handler]) => registerCommand(id, handler, parts.log));
}
