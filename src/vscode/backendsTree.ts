// The Backends view: a row per pool (with one pool, its frontend as before pools), one item per
// backend under it, a backend's faults under it.
import * as vscode from 'vscode';
import { describeFault, type BackendSnapshot, type BackendState, type BalancerSnapshot, type FaultSnapshot } from '../balancer';
import type { BalancerService } from './balancerService';
import type { BackendTerminals } from './backendTerminals';
import { backendDescription, backendLabel, faultDescription, frontendDescription, frontendLabel, poolDescription } from './presentation';
import { backendTooltip, faultTooltip, frontendTooltip } from './tooltips';

/** Every node names its pool, so that a command run from a row acts on that pool. */
export type BackendsNode = { kind: 'pool'; pool: string } | { kind: 'backend'; pool: string; id: string } | { kind: 'fault'; pool: string; backend: string; name: string };

const STATE_ICONS: Record<BackendState, [icon: string, color: string]> = {
  up: ['pass-filled', 'testing.iconPassed'],
  down: ['error', 'testing.iconFailed'],
  unknown: ['question', 'testing.iconQueued'],
  draining: ['debug-pause', 'list.warningForeground'],
  disabled: ['circle-slash', 'disabledForeground'],
};

export class BackendsTreeProvider implements vscode.TreeDataProvider<BackendsNode> {
  private readonly changed = new vscode.EventEmitter<BackendsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The same node object for the same id, so selection and expansion survive refreshes. */
  private readonly nodes = new Map<string, BackendsNode>();
  /** Each pool as this refresh shows it: taken as the root is asked for, read by every item. */
  private shown = new Map<string, BalancerSnapshot>();

  constructor(
    private readonly service: BalancerService,
    private readonly terminals: BackendTerminals,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** A refresh asks for the root first: new snapshots then, the same ones for the rest of the pass. */
  private snapshot(pool: string): BalancerSnapshot | undefined {
    let shown = this.shown.get(pool);
    if (!shown) {
      shown = this.service.pools.find((candidate) => candidate.name === pool)?.snapshot();
      if (shown) this.shown.set(pool, shown);
    }
    return shown;
  }

  getChildren(node?: BackendsNode): BackendsNode[] {
    if (!node) {
      this.shown = new Map(this.service.pools.map((pool) => [pool.name, pool.snapshot()]));
      this.forgetNodes();
      // No backends and nothing running: the view's welcome content takes the space.
      const empty = [...this.shown.values()].every((snapshot) => snapshot.backends.length === 0) && !this.service.running;
      return empty ? [] : [...this.shown.keys()].map((pool) => this.node(`pool:${pool}`, () => ({ kind: 'pool', pool })));
    }
    const backends = this.snapshot(node.pool)?.backends ?? [];
    if (node.kind === 'fault') return [];
    if (node.kind === 'backend') {
      const faults = backends.find((backend) => backend.id === node.id)?.faults ?? [];
      return faults.map((fault) => ({ kind: 'fault', pool: node.pool, backend: node.id, name: fault.name }));
    }
    return backends.map((backend) => this.node(`backend:${node.pool}/${backend.id}`, () => ({ kind: 'backend', pool: node.pool, id: backend.id })));
  }

  getTreeItem(node: BackendsNode): vscode.TreeItem {
    const snapshot = this.snapshot(node.pool);
    if (!snapshot) return new vscode.TreeItem(node.pool);
    if (node.kind === 'pool') return this.poolItem(node.pool, snapshot);
    if (node.kind === 'fault') {
      const fault = snapshot.backends.find((candidate) => candidate.id === node.backend)?.faults?.find((candidate) => candidate.name === node.name);
      return fault ? faultItem(node, fault) : new vscode.TreeItem(node.name);
    }
    const backend = snapshot.backends.find((candidate) => candidate.id === node.id);
    if (!backend) return new vscode.TreeItem(node.id);
    return this.backendItem(node.pool, backend, snapshot.frontend.listening);
  }

  /** With one pool, its frontend as before pools (`:8080`, `listening · …`); with several, `web` and `:8080 3/3 · 120 requests`. */
  private poolItem(pool: string, { frontend, backends }: BalancerSnapshot): vscode.TreeItem {
    const several = this.service.pools.length > 1;
    const item = new vscode.TreeItem(several ? pool : frontendLabel(frontend), vscode.TreeItemCollapsibleState.Expanded);
    item.id = `pool:${pool}`;
    const origin = this.service.pools.find((candidate) => candidate.name === pool)?.origin;
    item.description = `${origin === 'toxiproxy' ? 'toxiproxy · ' : ''}${several ? poolDescription(frontend, backends) : frontendDescription(frontend)}`;
    item.tooltip = new vscode.MarkdownString(`${several ? `**${pool}**\n\n` : ''}${frontendTooltip(frontend)}`);
    // Toxiproxy's API starts and stops its own pools: no start or stop here.
    item.contextValue = origin === 'toxiproxy' ? 'pool.toxiproxy' : frontend.listening ? 'pool.running' : 'pool.stopped';
    item.iconPath = frontend.listening
      ? new vscode.ThemeIcon('radio-tower', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon('circle-slash');
    return item;
  }

  /** Nodes of pools and backends no longer there are let go. */
  private forgetNodes(): void {
    const kept = new Set<string>();
    for (const [pool, snapshot] of this.shown) {
      kept.add(`pool:${pool}`);
      for (const backend of snapshot.backends) kept.add(`backend:${pool}/${backend.id}`);
    }
    for (const id of this.nodes.keys()) if (!kept.has(id)) this.nodes.delete(id);
  }

  private backendItem(pool: string, backend: BackendSnapshot, running: boolean): vscode.TreeItem {
    const state = this.terminals.state(backend.port);
    const terminal = state?.running ?? false;
    const item = new vscode.TreeItem(backendLabel(backend), backend.faults ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // VS Code keeps an item's collapsible state by id: a backend that gains faults (and children) gets a new one.
    item.id = `backend:${pool}/${backend.id}${backend.faults ? ':faulty' : ''}`;
    item.description = backendDescription(backend, running, state);
    item.tooltip = new vscode.MarkdownString(backendTooltip(backend, running, state));
    // backend.<enabled|disabled>.<terminal|noTerminal>: menus match on these parts.
    item.contextValue = `backend.${backend.enabled ? 'enabled' : 'disabled'}.${terminal ? 'terminal' : 'noTerminal'}`;
    if (running) {
      const [icon, color] = STATE_ICONS[backend.state];
      item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    } else {
      item.iconPath = terminal ? new vscode.ThemeIcon('terminal', new vscode.ThemeColor('testing.iconPassed')) : new vscode.ThemeIcon('circle-outline');
    }
    return item;
  }

  private node(id: string, create: () => BackendsNode): BackendsNode {
    let node = this.nodes.get(id);
    if (!node) {
      node = create();
      this.nodes.set(id, node);
    }
    return node;
  }
}

/** A fault under its backend: what it does, its name, and a way to remove it inline; greyed while it cannot act. */
function faultItem({ pool, backend }: { pool: string; backend: string }, fault: FaultSnapshot): vscode.TreeItem {
  const item = new vscode.TreeItem(describeFault(fault), vscode.TreeItemCollapsibleState.None);
  item.id = `fault:${pool}/${backend}/${fault.name}`;
  item.description = faultDescription(fault);
  item.tooltip = faultTooltip(fault);
  item.iconPath = new vscode.ThemeIcon('zap', new vscode.ThemeColor(fault.dormant ? 'disabledForeground' : 'list.warningForeground'));
  item.contextValue = 'fault';
  return item;
}
