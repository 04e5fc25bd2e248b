// Helpers for the suites that run inside VS Code: the extension's API, settings, real servers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { LocalLbApi } from '../../../src/extension';

export async function extensionApi(): Promise<LocalLbApi> {
  const extension = vscode.extensions.getExtension<LocalLbApi>('local-lb.local-lb');
  if (!extension) throw new Error('The Local LB extension is not installed in this window.');
  return extension.activate();
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('localLb').update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** Real HTTP servers on loopback answering `name`. */
export async function httpBackends(names: string[]): Promise<{ ports: number[]; close(): Promise<void> }> {
  const servers: Server[] = [];
  for (const name of names) {
    const server = createServer((_req, res) => res.end(name));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    ports: servers.map((server) => (server.address() as AddressInfo).port),
    close: async () => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The tree as a user sees it: each item's label and description, the frontend first. */
export function treeRows(api: LocalLbApi): Array<{ label: string; description: string; contextValue: string }> {
  const rows: Array<{ label: string; description: string; contextValue: string }> = [];
  const visit = (node?: Parameters<LocalLbApi['tree']['getChildren']>[0]): void => {
    for (const child of api.tree.getChildren(node)) {
      const item = api.tree.getTreeItem(child);
      rows.push({ label: String(item.label), description: String(item.description ?? ''), contextValue: item.contextValue ?? '' });
      visit(child);
    }
  };
  visit();
  return rows;
}

/** The tree item of the backend on `port`, as VS Code gets it (tooltip included). */
export function backendItem(api: LocalLbApi, port: number): vscode.TreeItem | undefined {
  for (const pool of api.tree.getChildren()) {
    for (const child of api.tree.getChildren(pool)) {
      const item = api.tree.getTreeItem(child);
      if (item.label === `:${port}`) return item;
    }
  }
  return undefined;
}
