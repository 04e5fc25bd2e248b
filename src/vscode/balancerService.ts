// Owns the balancer engine inside the extension host: starts, stops and reconfigures it from the
// settings, and tells views when to refresh (at most four times a second).
import * as vscode from 'vscode';
import { formatAddress } from '../balancer/address';
import { LoadBalancer } from '../balancer/loadBalancer';
import type { BalancerSnapshot } from '../balancer/types';
import { t } from './l10n';
import type { ExtensionSettings } from './settings';

const REFRESH_INTERVAL_MS = 250;

export class BalancerService implements vscode.Disposable {
  readonly balancer: LoadBalancer;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the balancer's state or statistics changed, throttled for views. */
  readonly onDidChange = this.changed.event;
  private refreshTimer?: NodeJS.Timeout;
  private refreshPending = false;
  private portOverride?: number;

  constructor(
    private settings: ExtensionSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.balancer = new LoadBalancer(settings.balancer);
    const notify = (): void => this.scheduleRefresh();
    for (const event of ['listening', 'stopped', 'connectionsChanged', 'stateChanged', 'configChanged', 'statisticsReset'] as const) {
      this.balancer.on(event, notify);
    }
  }

  get running(): boolean {
    return this.balancer.running;
  }

  get drainMs(): number {
    return this.settings.drainMs;
  }

  snapshot(): BalancerSnapshot {
    return this.balancer.snapshot();
  }

  /**
   * Starts on the configured port, or on `port` until the port setting changes (the setting itself
   * is left alone). Rejects with the reason it could not listen.
   */
  async start(port?: number): Promise<void> {
    if (this.running) return;
    if (port !== undefined) this.portOverride = port;
    this.balancer.configure({ port: this.portOverride ?? this.settings.balancer.port });
    await this.balancer.start();
  }

  async stop(drainMs = this.settings.drainMs): Promise<void> {
    await this.balancer.stop({ drainMs });
  }

  /**
   * Applies changed settings: backends, strategy and checks live; a new address by restarting
   * the frontend, saying so in the log.
   */
  async applySettings(settings: ExtensionSettings): Promise<void> {
    const before = this.settings.balancer;
    this.settings = settings;
    const { host, port, ...live } = settings.balancer;
    this.balancer.configure(live);
    const moved = host !== before.host || port !== before.port;
    if (!moved) return;
    this.portOverride = undefined;
    if (!this.running) {
      this.balancer.configure({ host, port });
      return;
    }
    const from = this.balancer.address();
    this.log.info(t('The frontend moves from {0} to {1}: restarting it.', from ? formatAddress(from) : '?', formatAddress({ host: host ?? '', port })));
    await this.balancer.stop({ drainMs: 0 });
    this.balancer.configure({ host, port });
    await this.balancer.start();
  }

  dispose(): void {
    // `deactivate` drains first; this is the backstop that leaves no socket listening.
    void this.balancer.stop({ drainMs: 0 });
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    this.balancer.removeAllListeners();
  }

  /** Leading and trailing edge: the first change shows at once, a burst at most every 250 ms. */
  private scheduleRefresh(): void {
    if (this.refreshTimer) {
      this.refreshPending = true;
      return;
    }
    this.changed.fire();
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.refreshPending) {
        this.refreshPending = false;
        this.scheduleRefresh();
      }
    }, REFRESH_INTERVAL_MS);
  }
}
