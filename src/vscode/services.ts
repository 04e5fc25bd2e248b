// The extension's parts, created once at activation; each command is given the ones it uses.
import type * as vscode from 'vscode';
import type { BackendsTreeProvider } from './backendsTree';
import type { BackendTerminals } from './backendTerminals';
import type { BalancerService } from './balancerService';
import type { RemoteBackendConsent } from './remoteBackendConsent';
import type { BalancerStatusBar } from './statusBar';
import type { ToxiproxyApiService } from './toxiproxyApiService';
import type { TrafficPanels } from './traffic/trafficPanel';

export interface Services {
  balancer: BalancerService;
  terminals: BackendTerminals;
  /** The Flask app shipped in `samples/flask`: what Flask launches when no app is set. */
  sampleFlaskApp: string;
  tree: BackendsTreeProvider;
  statusBar: BalancerStatusBar;
  log: vscode.LogOutputChannel;
  consent: RemoteBackendConsent;
  traffic: TrafficPanels;
  toxiproxy: ToxiproxyApiService;
}
