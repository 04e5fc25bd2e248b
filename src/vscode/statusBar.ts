// The status bar item: `$(radio-tower) :8080 3/3` (with several pools `2 pools · 5/6`) while running,
// `$(circle-slash) LB off` when not; the worst pool's colour.
import * as vscode from 'vscode';
import type { BalancerService } from './balancerService';
import { t } from './l10n';
import { statusBarSeverity, statusBarText, statusBarTooltip } from './presentation';

const BACKGROUNDS = {
  ok: undefined,
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  error: new vscode.ThemeColor('statusBarItem.errorBackground'),
};

export class BalancerStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('localLb.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly service: BalancerService) {
    // A name lets users recognise the item when they choose which status bar items to hide.
    this.item.name = t('Local LB');
    this.item.command = 'localLb.showStatusMenu';
    this.subscription = service.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  /** What the item shows now; the integration tests read it too. */
  get text(): string {
    return this.item.text;
  }

  get background(): vscode.ThemeColor | undefined {
    return this.item.backgroundColor;
  }

  update(): void {
    const pools = this.service.pools.map((pool) => ({ name: pool.name, snapshot: pool.snapshot() }));
    this.item.text = statusBarText(pools);
    this.item.tooltip = statusBarTooltip(pools);
    this.item.backgroundColor = BACKGROUNDS[statusBarSeverity(pools)];
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
