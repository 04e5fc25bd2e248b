// The traffic panel in VS Code: one webview panel per window, restored after a reload, fed only what
// is new at most twice a second, and nothing while it is hidden; one pool at a time, the user's choice.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  ALL_POOLS,
  MergedRecords,
  parsePanelMessage,
  SIDE_BY_SIDE,
  toUpdate,
  type DetailsMessage,
  type ExportHarMessage,
  type RowMessage,
  type TrafficCursor,
  type TrafficMessage,
  type TrafficUpdate,
} from '../../balancer';
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
  private readonly postedDetails = new vscode.EventEmitter<DetailsMessage>();
  /** Each update posted to the panel. */
  readonly onDidPost = this.posted.event;
  /** Each row's details posted to the panel. */
  readonly onDidPostDetails = this.postedDetails.event;

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
    this.postedDetails.dispose();
  }

  private open(panel: vscode.WebviewPanel): void {
    const opened = new TrafficPanel(panel, this.extensionUri, this.balancer, this.log, (message) => this.posted.fire(message), (message) => this.postedDetails.fire(message));
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
  /** The pool shown, by name, or `ALL_POOLS`. */
  private choice: string;
  /** With every pool shown: their records merged, entries numbered anew. */
  private merged = new MergedRecords(SIDE_BY_SIDE);
  /** The pools whose recent entries are kept for the panel, and how to stop keeping them. */
  private readonly watching = new Map<PoolService, () => void>();

  constructor(
    readonly webviewPanel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly balancer: BalancerService,
    private readonly log: vscode.LogOutputChannel,
    private readonly posted: (message: TrafficMessage) => void,
    private readonly postedDetails: (message: DetailsMessage) => void,
  ) {
    const webview = webviewPanel.webview;
    const resource = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
    // The coloured icon: the activity bar's draws in the current colour, which a tab does not give it.
    webviewPanel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    webview.html = trafficPage({ script: resource('traffic.js'), style: resource('traffic.css'), cspSource: webview.cspSource, nonce: randomBytes(16).toString('base64') });
    this.choice = this.firstPool();
    this.watch();
    webview.onDidReceiveMessage((message: unknown) => this.received(message));
    webviewPanel.onDidChangeViewState(() => this.schedule());
    webviewPanel.onDidDispose(() => {
      clearInterval(this.timer);
      for (const stop of this.watching.values()) stop();
      this.watching.clear();
    });
  }

  /** The pool shown now, or `ALL_POOLS`. */
  get pool(): string {
    return this.choice;
  }

  private firstPool(): string {
    const { pools } = this.balancer;
    return (pools.find((pool) => pool.name === 'default') ?? pools[0])?.name ?? '';
  }

  /** The pools shown: one, or all. */
  private shownPools(): PoolService[] {
    const { pools } = this.balancer;
    return this.choice === ALL_POOLS ? [...pools] : pools.filter((pool) => pool.name === this.choice);
  }

  /**
   * Keeps the recent entries of the pools shown, and only theirs, while the panel exists, hidden or
   * not, so that showing it again shows them.
   */
  private watch(): void {
    const shown = this.shownPools();
    for (const [pool, stop] of this.watching) {
      if (shown.includes(pool)) continue;
      stop();
      this.watching.delete(pool);
    }
    for (const pool of shown) if (!this.watching.has(pool)) this.watching.set(pool, pool.watchTraffic());
  }

  private received(raw: unknown): void {
    const message = parsePanelMessage(raw);
    if ('error' in message) {
      this.log.warn(`Ignored a message from the traffic panel: ${message.error}`);
      return;
    }
    if (message.type !== 'ready' && message.type !== 'pool') {
      void this.rowAsked(message);
      return;
    }
    if (message.type === 'pool') {
      if (message.pool !== ALL_POOLS && !this.balancer.pools.some((pool) => pool.name === message.pool)) {
        this.log.warn(`The traffic panel asked for pool ${JSON.stringify(message.pool)}, which is gone.`);
        return;
      }
      this.choice = message.pool;
      this.merged = new MergedRecords(SIDE_BY_SIDE);
    }
    this.ready = true;
    this.cursor = undefined;
    this.post();
    this.schedule();
  }

  /** The details pane's asks: a row's details, a row copied as curl or sent again, the pool's requests as HAR. */
  private async rowAsked(message: RowMessage | ExportHarMessage): Promise<void> {
    // Rows are numbered per pool: with every pool shown, no row can be found by its number.
    const pool = this.choice === ALL_POOLS ? undefined : this.shownPools()[0];
    if (message.type === 'exportHar') {
      await vscode.commands.executeCommand('localLb.exportTrafficHar', pool?.name);
      return;
    }
    const onePool = t('Details are shown for one pool at a time: choose it above.');
    if (message.type === 'replay' || message.type === 'replayToBackend') {
      const result = pool ? await pool.replay(message.seq, message.type === 'replayToBackend') : { error: onePool };
      const where = message.type === 'replayToBackend' ? t('to its backend') : t('through the balancer');
      if (result.error !== undefined) void vscode.window.showWarningMessage(t('Could not send the request again: {0}.', result.error));
      else void vscode.window.showInformationMessage(t('Sent the request again {0}: {1} {2}.', where, result.status ?? '', result.reason ?? ''));
      return;
    }
    const showSecrets = vscode.workspace.getConfiguration('localLb').get<boolean>('inspector.showSecrets') === true;
    const answer: DetailsMessage = pool ? pool.requestDetails(message.seq, showSecrets) : { type: 'details', seq: message.seq, none: onePool };
    if (message.type === 'details') {
      void this.webviewPanel.webview.postMessage(answer);
      this.postedDetails(answer);
    } else if (answer.curl) {
      await vscode.env.clipboard.writeText(answer.curl);
      void vscode.window.showInformationMessage(t('Copied the request as a curl command.'));
    }
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
    if (this.choice !== ALL_POOLS && !pools.some((pool) => pool.name === this.choice)) {
      this.choice = this.firstPool();
      this.cursor = undefined;
    }
    this.watch();
    const shown = this.shownPools();
    if (shown.length === 0) return;
    const full = this.cursor === undefined;
    const record =
      this.choice === ALL_POOLS
        ? this.merged.merge(shown.map((pool) => ({ key: pool.name, record: pool.record(this.merged.cursorOf(pool.name, this.cursor)) })), this.cursor)
        : shown[0].record(this.cursor);
    const update: TrafficUpdate = toUpdate(record);
    if (!full && update.from > update.to && update.entries.length === 0) return;
    this.cursor = update.cursor;
    const message: TrafficMessage = { type: 'traffic', update, full, pool: this.choice, pools: pools.map((pool) => pool.name) };
    void this.webviewPanel.webview.postMessage(message);
    this.posted(message);
  }
}
