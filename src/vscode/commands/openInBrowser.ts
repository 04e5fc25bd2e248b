import * as vscode from 'vscode';
import { formatAddress } from '../../balancer/address';
import type { BackendAddress } from '../../balancer/types';
import type { BackendsNode } from '../backendsTree';
import { t } from '../l10n';
import type { Services } from '../services';
import { pickBackend } from './pickBackend';

/** `asExternalUri` makes a port on a remote machine reachable from the user's browser. */
async function open(address: BackendAddress): Promise<boolean> {
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host;
  const local = vscode.Uri.parse(`http://${formatAddress({ host, port: address.port })}/`);
  return vscode.env.openExternal(await vscode.env.asExternalUri(local));
}

export async function openFrontendInBrowser(services: Services): Promise<boolean> {
  const address = services.balancer.balancer.address();
  if (!address) {
    void vscode.window.showWarningMessage(t('The balancer is not running.'));
    return false;
  }
  return open(address);
}

export async function openBackendInBrowser(services: Services, target?: BackendsNode | string): Promise<boolean> {
  const backend = await pickBackend(services, target, t('Open which backend?'));
  return backend ? open(backend) : false;
}
