// The Backends view: the frontend at the root, one item per backend under it, a backend's faults under it.
import * as vscode from 'vscode';
import { describeFault, type BackendSnapshot, type BackendState, type BalancerSnapshot, type FaultSnapshot } from '../balancer';
import type { BalancerService } from './balancerService';
import type { FlaskTerminals } from './flaskTerminals';
import { backendDescription, backendLabel, faultDescription, frontendDescription, frontendLabel } from './presentation';
import { backendTooltip, faultTooltip, frontendTooltip } from './tooltips';

export type BackendsNode = { kind: 'frontend' } | { kind: 'backend'; id: string } | { kind: 'fault'; backend: string; name: string };

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
  private readonly nodes = new Map<string, BackendsNode>([['frontend', { kind: 'frontend' }]]);
  /** The balancer as this refresh shows it: taken as the root is asked for, read by every item. */
  private shown?: BalancerSnapshot;

  constructor(
    private readonly service: BalancerService,
    private readonly terminals: FlaskTerminals,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** A refresh asks for the root first: a new snapshot then, the same one for the rest of the pass. */
  private snapshot(root = false): BalancerSnapshot {
    if (root || !this.shown) this.shown = this.service.snapshot();
    return this.shown;
  }

  getChildren(node?: BackendsNode): BackendsNode[] {
    const { backends } = this.snapshot(node === undefined);
    if (!node) {
      // No backends and nothing running: the view's welcome content takes the space.
      return backends.length === 0 && !this.service.running ? [] : [this.node('frontend', () => ({ kind: 'frontend' }))];
    }
    if (node.kind === 'fault') return [];
    if (node.kind === 'backend') {
      const faults = backends.find((backend) => backend.id === node.id)?.faults ?? [];
      return faults.map((fault) => ({ kind: 'fault', backend: node.id, name: fault.name }));
    }
    const ids = new Set(backends.map((backend) => `backend:${backend.id}`));
    for (const id of this.nodes.keys()) if (id !== 'frontend' && !ids.has(id)) this.nodes.delete(id);
    return backends.map((backend) => this.node(`backend:${backend.id}`, () => ({ kind: 'backend', id: backend.id })));
  }

  getTreeItem(node: BackendsNode): vscode.TreeItem {
    const snapshot = this.snapshot();
    if (node.kind === 'frontend') {
      const { frontend } = snapshot;
      const item = new vscode.TreeItem(frontendLabel(frontend), vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'frontend';
      item.description = frontendDescription(frontend);
      item.tooltip = new vscode.MarkdownString(frontendTooltip(frontend));
      item.contextValue = frontend.listening ? 'frontend.running' : 'frontend.stopped';
      item.iconPath = frontend.listening
        ? new vscode.ThemeIcon('radio-tower', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('circle-slash');
      return item;
    }
    if (node.kind === 'fault') {
      const fault = snapshot.backends.find((candidate) => candidate.id === node.backend)?.faults?.find((candidate) => candidate.name === node.name);
      return fault ? faultItem(node.backend, fault) : new vscode.TreeItem(node.name);
    }
    const backend = snapshot.backends.find((candidate) => candidate.id === node.id);
    if (!backend) return new vscode.TreeItem(node.id);
    return this.backendItem(backend, snapshot.frontend.listening);
  }

  private backendItem(backend: BackendSnapshot, running: boolean): vscode.TreeItem {
    const terminal = this.terminals.isRunning(backend.port);
    const item = new vscode.TreeItem(backendLabel(backend), backend.faults ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    // VS Code keeps an item's collapsible state by id: a backend that gains faults (and children) gets a new one.
    item.id = backend.faults ? `backend:${backend.id}:faulty` : `backend:${backend.id}`;
    item.description = backendDescription(backend, running, terminal);
    item.tooltip = new vscode.MarkdownString(backendTooltip(backend, running, terminal));
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
function faultItem(backend: string, fault: FaultSnapshot): vscode.TreeItem {
  const item = new vscode.TreeItem(describeFault(fault), vscode.TreeItemCollapsibleState.None);
  item.id = `fault:${backend}/${fault.name}`;
  item.description = faultDescription(fault);
  item.tooltip = faultTooltip(fault);
  item.iconPath = new vscode.ThemeIcon('zap', new vscode.ThemeColor(fault.dormant ? 'disabledForeground' : 'list.warningForeground'));
  item.contextValue = 'fault';
  return item;
}
