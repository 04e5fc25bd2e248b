// The extension's only way into the balancer engine: starts, stops and reconfigures it from the
// validated settings, offers what the commands need, and tells views when to refresh (at most
// four times a second).
import * as vscode from 'vscode';
import {
  formatAddress,
  LoadBalancer,
  exportConfig,
  sendTestRequests,
  toUpdate,
  type Address,
  type ExportTarget,
  type BalancerSnapshot,
  type Fault,
  type FaultSpec,
  type TestRequestResult,
  type TrafficCursor,
  type TrafficUpdate,
} from '../balancer';
import { version } from '../../package.json';
import { t } from './l10n';
import { logBalancer } from './log';
import type { ExtensionSettings } from './settingsParser';

const REFRESH_INTERVAL_MS = 250;

export class BalancerService implements vscode.Disposable {
  private readonly engine: LoadBalancer;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after the balancer's state or statistics changed, throttled for views. */
  readonly onDidChange = this.changed.event;
  private readonly logging: vscode.Disposable;
  private refreshTimer?: NodeJS.Timeout;
  private refreshPending = false;
  private portOverride?: number;

  constructor(
    private current: ExtensionSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.engine = new LoadBalancer(current.balancer);
    this.logging = logBalancer(this.engine, log);
    const notify = (): void => this.scheduleRefresh();
    for (const event of ['listening', 'stopped', 'connectionsChanged', 'stateChanged', 'configChanged', 'statisticsReset'] as const) {
      this.engine.on(event, notify);
    }
  }

  /** The settings in effect: read, validated and filtered for consent once, by whoever applied them. */
  get settings(): ExtensionSettings {
    return this.current;
  }

  get running(): boolean {
    return this.engine.running;
  }

  /** Where the frontend listens, while it does. */
  address(): Address | undefined {
    return this.engine.address();
  }

  snapshot(): BalancerSnapshot {
    return this.engine.snapshot();
  }

  /**
   * Starts on the configured port, or on `port` until the port setting changes (the setting itself
   * is left alone). Rejects with the reason it could not listen.
   */
  async start(port?: number): Promise<void> {
    if (this.running) return;
    if (port !== undefined) this.portOverride = port;
    this.engine.configure({ port: this.portOverride ?? this.current.balancer.port });
    await this.engine.start();
  }

  async stop(drainMs = this.current.drainMs): Promise<void> {
    await this.engine.stop({ drainMs });
  }

  /** Disabling drains the backend: no new connections, the open ones finish. Lasts until enabled or reloaded. */
  setEnabled(id: string, enabled: boolean): void {
    this.engine.setEnabled(id, enabled);
  }

  /** A fault on a backend's new connections; lasts until removed or the window closes. Throws a `ConfigError` naming a bad spec. */
  addFault(id: string, spec: FaultSpec): Fault {
    return this.engine.addFault(id, spec);
  }

  /** Lifts a fault, from open connections too. */
  removeFault(id: string, name: string): void {
    this.engine.removeFault(id, name);
  }

  clearFaults(): void {
    this.engine.clearFaults();
  }

  resetStatistics(): void {
    this.engine.resetStatistics();
  }

  /** The setup in effect (the port it listens on, if overridden) as `target`'s configuration. Throws a `ConfigError` naming what cannot be written. */
  exportConfig(target: ExportTarget): string {
    return exportConfig(target, [{ name: 'default', options: { ...this.current.balancer, port: this.address()?.port ?? this.portOverride ?? this.current.balancer.port } }], version);
  }

  /** What the traffic panel has not seen since `cursor` (everything kept, without one). */
  traffic(cursor?: TrafficCursor): TrafficUpdate {
    return toUpdate(this.engine.traffic.read(cursor));
  }

  /** Keeps the last connections or requests for the traffic panel until the returned function is called. */
  watchTraffic(): () => void {
    return this.engine.traffic.watch();
  }

  /** GETs through the frontend, one connection each, telling which backend answered each. */
  sendTestRequests(count: number): Promise<TestRequestResult[]> {
    return sendTestRequests(this.engine, count);
  }

  /**
   * Applies changed settings: backends, strategy, checks, timeouts and stickiness live; a new
   * address, mode or data path by restarting the frontend, saying so in the log.
   */
  async applySettings(settings: ExtensionSettings): Promise<void> {
    const before = this.current.balancer;
    this.current = settings;
    const { host, port, ...live } = settings.balancer;
    this.engine.configure(live);
    const moved = host !== before.host || port !== before.port;
    if (moved) {
      this.portOverride = undefined;
      if (!this.running) {
        this.engine.configure({ host, port });
        return;
      }
      const from = this.engine.address();
      const to = formatAddress({ host: host ?? '', port });
      this.log.info(t('The frontend moves from {0} to {1}: restarting it.', from ? formatAddress(from) : '?', to));
      await this.engine.stop({ drainMs: 0 });
      this.engine.configure({ host, port });
      await this.engine.start();
    } else if (this.running) {
      // Both apply at a start.
      const why =
        (live.mode ?? 'tcp') !== (before.mode ?? 'tcp')
          ? t('The mode is now {0}: restarting the frontend.', live.mode ?? 'tcp')
          : (live.dataPath ?? 'auto') !== (before.dataPath ?? 'auto')
            ? t('The data path is now {0}: restarting the frontend.', live.dataPath ?? 'auto')
            : undefined;
      if (!why) return;
      this.log.info(why);
      await this.engine.stop({ drainMs: 0 });
      await this.engine.start();
    }
  }

  dispose(): void {
    // `deactivate` drains first; this is the backstop that leaves no socket listening.
    void this.engine.stop({ drainMs: 0 });
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
    this.logging.dispose();
    this.engine.removeAllListeners();
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
