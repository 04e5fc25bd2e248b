// One pool as the extension drives it: its engine (a `LoadBalancer`) started, stopped and
// reconfigured from the pool's settings, and what the commands and views need of it.
import type * as vscode from 'vscode';
import {
  formatAddress,
  LoadBalancer,
  detailsAnswer,
  parseAddress,
  replayRequest,
  sendTestRequests,
  toHar,
  toUpdate,
  type Address,
  type BalancerOptions,
  type BalancerSnapshot,
  type Fault,
  type FaultSpec,
  type PoolDefinition,
  type TestRequestResult,
  type TrafficCursor,
  type TrafficRecord,
  type TrafficUpdate,
  type DetailsMessage,
  type HarOptions,
  type ReplayResult,
} from '../balancer';
import { t } from './l10n';
import { logBalancer } from './log';

/** Where a pool comes from: the settings, or toxiproxy's API (which starts, stops and ends it). */
export type PoolOrigin = 'settings' | 'toxiproxy';

const CHANGES = ['listening', 'stopped', 'connectionsChanged', 'stateChanged', 'configChanged', 'statisticsReset'] as const;

export class PoolService {
  private readonly engine: LoadBalancer;
  private readonly logging: vscode.Disposable;
  private portOverride?: number;
  private current: BalancerOptions;

  /**
   * `changed` is called after the pool's state or statistics changed; `prefix` starts its log
   * lines. A pool of the settings makes its engine; one of toxiproxy's API is given it.
   */
  constructor(
    readonly name: string,
    options: BalancerOptions,
    private readonly log: vscode.LogOutputChannel,
    private readonly changed: () => void,
    private readonly prefix: string,
    readonly origin: PoolOrigin = 'settings',
    engine?: LoadBalancer,
  ) {
    this.current = options;
    this.engine = engine ?? new LoadBalancer(options);
    this.logging = logBalancer(this.engine, log, prefix);
    for (const event of CHANGES) this.engine.on(event, changed);
  }

  /** The pool's engine, for toxiproxy's API, which shows the pools of the settings as proxies. */
  get loadBalancer(): LoadBalancer {
    return this.engine;
  }

  /** Whether `engine` is this pool's. */
  owns(engine: LoadBalancer): boolean {
    return this.engine === engine;
  }

  /** The pool's options in effect. */
  get options(): BalancerOptions {
    return this.current;
  }

  /** The pool as it would be exported: on the port it listens on, if that was overridden. */
  get definition(): PoolDefinition {
    return { name: this.name, options: { ...this.current, port: this.address()?.port ?? this.portOverride ?? this.current.port } };
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
    this.engine.configure({ port: this.portOverride ?? this.current.port });
    await this.engine.start();
  }

  async stop(drainMs: number): Promise<void> {
    await this.engine.stop({ drainMs });
  }

  /** Disabling drains the backend: no new connections, the open ones finish. Lasts until enabled or reloaded. */
  setEnabled(id: string, enabled: boolean): void {
    this.engine.setEnabled(id, enabled);
  }

  /** A fault on a backend's connections, open and new; lasts until removed or the window closes. Throws a `ConfigError` naming a bad spec. */
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

  /** What the traffic panel has not seen since `cursor` (everything kept, without one). */
  traffic(cursor?: TrafficCursor): TrafficUpdate {
    return toUpdate(this.record(cursor));
  }

  /** The same, as recorded: for a view of several pools, which merges the records first. */
  record(cursor?: TrafficCursor): TrafficRecord {
    return this.engine.traffic.read(cursor);
  }

  /** The requests kept with the inspector's details (HTTP mode, while the traffic is watched), as HAR 1.2. */
  trafficHar(options: Omit<HarOptions, 'frontend'>): { har: { log: Record<string, unknown> }; requests: number } {
    const entries = this.engine.traffic.detailed();
    const frontend = this.engine.snapshot().frontend;
    return { har: toHar(entries, { ...options, frontend: formatAddress(frontend) }), requests: entries.length };
  }

  /** Row `seq` of the traffic panel as its details pane shows it. */
  requestDetails(seq: number, showSecrets: boolean): DetailsMessage {
    return detailsAnswer(seq, this.engine.traffic.entry(seq), formatAddress(this.engine.snapshot().frontend), showSecrets);
  }

  /** Sends row `seq`'s request again: through the frontend (its row marked as a replay), or `direct` to the backend that answered it. */
  async replay(seq: number, direct: boolean): Promise<ReplayResult> {
    const entry = this.engine.traffic.entry(seq);
    if (!entry?.details) return { error: t('the request is no longer recorded') };
    const to = direct ? (entry.backend ? parseAddress(entry.backend) : undefined) : this.engine.address();
    if (!to) return { error: direct ? t('no backend answered it') : t('the balancer is not running') };
    return replayRequest(entry, to, (client) => this.engine.traffic.expectReplay(client));
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
   * Applies changed options: backends, strategy, checks, timeouts and stickiness live; a new
   * address, mode or data path by restarting the frontend, saying so in the log.
   */
  async applyOptions(options: BalancerOptions): Promise<void> {
    const before = this.current;
    this.current = options;
    const { host, port, ...live } = options;
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
      this.log.info(this.prefix + t('The frontend moves from {0} to {1}: restarting it.', from ? formatAddress(from) : '?', to));
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
      this.log.info(this.prefix + why);
      await this.engine.stop({ drainMs: 0 });
      await this.engine.start();
    }
  }

  dispose(): void {
    this.logging.dispose();
    for (const event of CHANGES) this.engine.off(event, this.changed);
    // Whoever stops the pool drains it first; this is the backstop that leaves no socket listening.
    // A toxiproxy pool is its API's to end.
    if (this.origin === 'settings') void this.engine.stop({ drainMs: 0 });
  }
}
