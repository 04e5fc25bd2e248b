// The traffic panel in VS Code: one webview panel per window, restored after a reload, fed only what
// is new at most twice a second, and nothing while it is hidden; one pool at a time, the user's choice.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parsePanelMessage, type TrafficCursor, type TrafficMessage, type TrafficUpdate } from '../../balancer';
import { trafficPage } from '../../webview/traffic/page';
import type { BalancerService } from '../balancerService';
import { t } from '../l10n';
import type { PoolService } from '../poolService';

export const TRAFFIC_VIEW_TYPE = 'localLb.traffic';
/** Updates go out at most this often: the webview redraws on the next animation frame anyway. */
const POST_INTERVAL_MS = 500;

/** The window's traffic panel, if open: shows it, restores it after a reload, and tells tests what it posted. */
export class TrafficPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel?: TrafficPanel;
  private readonly posted = new vscode.EventEmitter<TrafficMessage>();
  /** Each message posted to the panel. */
  readonly onDidPost = this.posted.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly balancer: BalancerService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get current(): TrafficPanel | undefined {
    return this.panel;
  }

  show(): void {
    if (this.panel) {
      this.panel.webviewPanel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(TRAFFIC_VIEW_TYPE, t('Local LB: Traffic'), vscode.ViewColumn.Active, this.options());
    this.open(panel);
  }

  /** After a reload, VS Code hands back the panel that was open. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = this.options();
    this.panel?.webviewPanel.dispose();
    this.open(panel);
  }

  dispose(): void {
    this.panel?.webviewPanel.dispose();
    this.posted.dispose();
  }

  private open(panel: vscode.WebviewPanel): void {
    const opened = new TrafficPanel(panel, this.extensionUri, this.balancer, this.log, (message) => this.posted.fire(message));
    this.panel = opened;
    panel.onDidDispose(() => {
      if (this.panel === opened) this.panel = undefined;
    });
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }
}

export class TrafficPanel {
  private cursor?: TrafficCursor;
  /** The webview loaded and asked for its data; it reloads (and asks again) each time it is shown. */
  private ready = false;
  private timer?: NodeJS.Timeout;
  /** The pool shown, and the end of keeping its recent entries. */
  private shown?: { pool: PoolService; stopWatching: () => void };

  constructor(
    readonly webviewPanel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly balancer: BalancerService,
    private readonly log: vscode.LogOutputChannel,
    private readonly posted: (message: TrafficMessage) => void,
  ) {
    const webview = webviewPanel.webview;
    const resource = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
    // The coloured icon: the activity bar's draws in the current colour, which a tab does not give it.
    webviewPanel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    webview.html = trafficPage({ script: resource('traffic.js'), style: resource('traffic.css'), cspSource: webview.cspSource, nonce: randomBytes(16).toString('base64') });
    this.show(balancer.pools.find((pool) => pool.name === 'default') ?? balancer.pools[0]);
    webview.onDidReceiveMessage((message: unknown) => this.received(message));
    webviewPanel.onDidChangeViewState(() => this.schedule());
    webviewPanel.onDidDispose(() => {
      clearInterval(this.timer);
      this.shown?.stopWatching();
    });
  }

  /** The pool shown now. */
  get pool(): string | undefined {
    return this.shown?.pool.name;
  }

  /** Shows `pool` from now on, in full. Its entries are kept while it is shown, hidden or not, so that showing the panel again shows them. */
  private show(pool: PoolService | undefined): void {
    if (pool === this.shown?.pool) return;
    this.shown?.stopWatching();
    this.shown = pool && { pool, stopWatching: pool.watchTraffic() };
    this.cursor = undefined;
  }

  private received(raw: unknown): void {
    const message = parsePanelMessage(raw);
    if ('error' in message) {
      this.log.warn(`Ignored a message from the traffic panel: ${message.error}`);
      return;
    }
    if (message.type === 'pool') {
      const chosen = this.balancer.pools.find((pool) => pool.name === message.pool);
      if (!chosen) {
        this.log.warn(`The traffic panel asked for pool ${JSON.stringify(message.pool)}, which is gone.`);
        return;
      }
      this.show(chosen);
    }
    this.ready = true;
    this.cursor = undefined;
    this.post();
    this.schedule();
  }

  /** Posts on a timer while the panel is visible; a hidden panel's webview is gone, and is sent nothing. */
  private schedule(): void {
    if (!this.webviewPanel.visible) this.ready = false;
    if (this.ready && !this.timer) this.timer = setInterval(() => this.post(), POST_INTERVAL_MS);
    if (!this.ready && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private post(): void {
    if (!this.webviewPanel.visible) return;
    const { pools } = this.balancer;
    // The pool shown went away with a settings change: the first one takes its place.
    if (!this.shown || !pools.includes(this.shown.pool)) this.show(pools[0]);
    if (!this.shown) return;
    const full = this.cursor === undefined;
    const update: TrafficUpdate = this.shown.pool.traffic(this.cursor);
    if (!full && update.from > update.to && update.entries.length === 0) return;
    this.cursor = update.cursor;
    const message: TrafficMessage = { type: 'traffic', update, full, pool: this.shown.pool.name, pools: pools.map((pool) => pool.name) };
    void this.webviewPanel.webview.postMessage(message);
    this.posted(message);
  }
}
