// The traffic panel in VS Code: one webview panel per window, restored after a reload, fed only what
// is new at most twice a second, and nothing while it is hidden.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parsePanelMessage, type TrafficCursor, type TrafficMessage, type TrafficUpdate } from '../../balancer';
import { trafficPage } from '../../webview/traffic/page';
import type { BalancerService } from '../balancerService';
import { t } from '../l10n';

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
  private readonly stopWatching: () => void;

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
    // Entries are kept while the panel exists, hidden or not, so that showing it again shows them.
    this.stopWatching = balancer.watchTraffic();
    webview.onDidReceiveMessage((message: unknown) => this.received(message));
    webviewPanel.onDidChangeViewState(() => this.schedule());
    webviewPanel.onDidDispose(() => {
      clearInterval(this.timer);
      this.stopWatching();
    });
  }

  private received(raw: unknown): void {
    const message = parsePanelMessage(raw);
    if ('error' in message) {
      this.log.warn(`Ignored a message from the traffic panel: ${message.error}`);
      return;
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
    const full = this.cursor === undefined;
    const update: TrafficUpdate = this.balancer.traffic(this.cursor);
    if (!full && update.from > update.to && update.entries.length === 0) return;
    this.cursor = update.cursor;
    const message: TrafficMessage = { type: 'traffic', update, full };
    void this.webviewPanel.webview.postMessage(message);
    this.posted(message);
  }
}
