// Every command of the extension, registered in one place through one error-reporting wrapper.
import * as vscode from 'vscode';
import type { FaultSpec } from '../../balancer';
import type { Services } from '../services';
import { addBackend } from './addBackend';
import { addFault } from './addFault';
import { disableBackend } from './disableBackend';
import { enableBackend } from './enableBackend';
import { exportConfiguration } from './exportConfiguration';
import { exportTrafficHar } from './exportTrafficHar';
import { launchBackendTerminal } from './launchBackendTerminal';
import { launchBackends } from './launchBackends';
import { launchFromProcfile } from './launchFromProcfile';
import { openBackendInBrowser } from './openBackendInBrowser';
import { openFrontendInBrowser } from './openFrontendInBrowser';
import type { BackendTarget } from './pickBackend';
import type { PoolTarget } from './pickPool';
import { registerCommand } from './registerCommand';
import { removeBackend } from './removeBackend';
import { removeFault } from './removeFault';
import { resetStatistics } from './resetStatistics';
import { restartBalancer } from './restartBalancer';
import { sendTestRequests } from './sendTestRequests';
import { setMode } from './setMode';
import { showStatusMenu } from './showStatusMenu';
import { showTraffic } from './showTraffic';
import { startBalancer } from './startBalancer';
import { stopBackendTerminal } from './stopBackendTerminal';
import { stopBalancer } from './stopBalancer';
import { stopBackends } from './stopBackends';

const asTarget = (arg: unknown): BackendTarget => (typeof arg === 'number' ? String(arg) : (arg as BackendTarget));
const asNumber = (arg: unknown): number | undefined => (typeof arg === 'number' ? arg : undefined);
/** A tree row's node, or a pool's name; anything else is no pool (the command asks). */
const asPool = (arg: unknown): PoolTarget => (typeof arg === 'string' || (typeof arg === 'object' && arg !== null && 'pool' in arg) ? (arg as PoolTarget) : undefined);

export function registerCommands(parts: Services): vscode.Disposable[] {
  const commands: Record<string, (arg?: unknown, second?: unknown) => unknown> = {
    'localLb.start': (arg) => startBalancer(parts, asNumber(arg) ?? asPool(arg)),
    'localLb.stop': (arg) => stopBalancer(parts, asPool(arg)),
    'localLb.restart': (arg) => restartBalancer(parts, asPool(arg)),
    'localLb.launchBackends': (arg) => launchBackends(parts, asPool(arg)),
    'localLb.launchFromProcfile': (arg) => launchFromProcfile(parts, asPool(arg)),
    'localLb.stopBackends': () => stopBackends(parts),
    // The names of Local LB before it launched any app: Flask where no launch is set, every pool at once.
    'localLb.launchFlaskBackends': (arg) => launchBackends(parts, asPool(arg), false),
    'localLb.stopFlaskBackends': () => stopBackends(parts),
    'localLb.addBackend': (arg, pool) => (typeof arg === 'string' ? addBackend(parts, arg, asPool(pool)) : addBackend(parts, undefined, asPool(arg))),
    'localLb.removeBackend': (arg) => removeBackend(parts, asTarget(arg)),
    'localLb.disableBackend': (arg) => disableBackend(parts, asTarget(arg)),
    'localLb.enableBackend': (arg) => enableBackend(parts, asTarget(arg)),
    'localLb.sendTestRequests': (arg, pool) => sendTestRequests(parts, asNumber(arg), asPool(asNumber(arg) === undefined ? arg : pool)),
    'localLb.openFrontendInBrowser': (arg) => openFrontendInBrowser(parts, asPool(arg)),
    'localLb.openBackendInBrowser': (arg) => openBackendInBrowser(parts, asTarget(arg)),
    'localLb.launchBackendTerminal': (arg) => launchBackendTerminal(parts, asTarget(arg)),
    'localLb.stopBackendTerminal': (arg) => stopBackendTerminal(parts, asTarget(arg)),
    'localLb.addFault': (arg, spec) => addFault(parts, asTarget(arg), spec as FaultSpec | undefined),
    'localLb.removeFault': (arg, name) => removeFault(parts, asTarget(arg), typeof name === 'string' ? name : undefined),
    'localLb.clearFaults': () => parts.balancer.clearFaults(),
    'localLb.showLog': () => parts.log.show(),
    'localLb.resetStatistics': (arg) => resetStatistics(parts, asPool(arg)),
    'localLb.refresh': () => parts.tree.refresh(),
    'localLb.showStatusMenu': () => showStatusMenu(parts),
    'localLb.setMode': (arg, pool) => (typeof arg === 'object' && arg !== null ? setMode(parts, undefined, asPool(arg)) : setMode(parts, arg, asPool(pool))),
    'localLb.showTraffic': () => showTraffic(parts),
    'localLb.exportConfiguration': (arg) => exportConfiguration(parts, arg),
    'localLb.exportTrafficHar': (arg, file) => exportTrafficHar(parts, asPool(arg), file instanceof vscode.Uri ? file : undefined),
  };
  return Object.entries(commands).map(([id, handler]) => registerCommand(id, handler, parts.log));
}
