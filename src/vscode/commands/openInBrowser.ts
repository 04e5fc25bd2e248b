// Opens an address in the user's browser: a wildcard host on its loopback address, a remote
// machine's port through `asExternalUri`.
import * as vscode from 'vscode';
import { formatAddress, reachableHost, type Address } from '../../balancer';

export async function openInBrowser(address: Address): Promise<boolean> {
  const local = vscode.Uri.parse(`http://${formatAddress({ host: reachableHost(address.host), port: address.port })}/`);
  return vscode.env.openExternal(await vscode.env.asExternalUri(local));
}
