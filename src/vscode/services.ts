// What the commands work with; created once at activation.
import type * as vscode from 'vscode';
import type { BackendsTreeProvider } from './backendsTree';
import type { BalancerService } from './balancerService';
import type { FlaskTerminals } from './flaskTerminals';
import type { RemoteBackendConsent } from './remoteBackendConsent';
import type { BalancerStatusBar } from './statusBar';

export interface Services {
  balancer: BalancerService;
  terminals: FlaskTerminals;
  tree: BackendsTreeProvider;
  statusBar: BalancerStatusBar;
  log: vscode.LogOutputChannel;
  consent: RemoteBackendConsent;
}
