// The extension's only way into the balancer engine: its pools (one `PoolService` each, from the
// settings), started, stopped and reconfigured together or one by one, and the views told when to
// refresh (at most four times a second).
import * as vscode from 'vscode';
import { exportConfig, NotFoundError, poolLogPrefix, type BalancerOptions, type ExportTarget, type LoadBalancer, type PoolDefinition } from '../balancer';
import { version } from '../../package.json';
import { t } from './l10n';
import { PoolService } from './poolService';
import { poolsToRun, type ExtensionSettings } from './settingsParser';

const REFRESH_INTERVAL_MS = 250;

/** A pool that could not start, and why (its error, with its code). */
export interface PoolStartFailure {
  pool: PoolService;
  error: Error;
}

export class BalancerService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a pool's state or statistics changed, or pools came or went; throttled for views. */
  readonly onDidChange = this.changed.event;
  /** The pools of the settings, which Start and Stop act on. */
  private list: PoolService[];
  /** The pools of toxiproxy's API, which it starts, stops and ends. */
  private fromApi: PoolService[] = [];
  private refreshTimer?: NodeJS.Timeout;
  private refreshPending = false;

  constructor(
    private current: ExtensionSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.list = poolsToRun(current).map((pool) => this.create(pool));
  }

  /** The settings in effect: read, validated and filtered for consent once, by whoever applied them. */
  get settings(): ExtensionSettings {
    return this.current;
  }

  /** The pools, in the settings' order, then those of toxiproxy's API. */
  get pools(): readonly PoolService[] {
    return this.fromApi.length === 0 ? this.list : [...this.list, ...this.fromApi];
  }

  /** The pools of the settings: those Start and Stop act on. */
  get settingsPools(): readonly PoolService[] {
    return this.list;
  }

  /** The pool named `name`; a `NotFoundError` naming the pools when there is none. */
  get(name: string): PoolService {
    const { pools } = this;
    const pool = pools.find((candidate) => candidate.name === name);
    if (!pool) throw new NotFoundError(t('There is no pool {0}: the pools are {1}.', JSON.stringify(name), pools.map((candidate) => candidate.name).join(', ')));
    return pool;
  }

  /** Shows the pools of toxiproxy's API as they are now: new ones added, gone ones let go. */
  setApiPools(pools: ReadonlyArray<{ name: string; balancer: LoadBalancer; options: BalancerOptions }>): void {
    const kept = this.fromApi.filter((pool) => pools.some(({ balancer }) => pool.owns(balancer)));
    for (const pool of this.fromApi) if (!kept.includes(pool)) pool.dispose();
    this.fromApi = pools.map(({ name, balancer, options }) => kept.find((pool) => pool.owns(balancer)) ?? new PoolService(name, options, this.log, () => this.scheduleRefresh(), poolLogPrefix(name), 'toxiproxy', balancer));
    this.scheduleRefresh();
  }

  /** Whether any pool of the settings is running. */
  get running(): boolean {
    return this.list.some((pool) => pool.running);
  }

  /** Starts every pool that is not running, each on its own; those that could not, with why. */
  async start(): Promise<PoolStartFailure[]> {
    const failures: PoolStartFailure[] = [];
    await Promise.all(
      this.list.filter((pool) => !pool.running).map((pool) => pool.start().catch((error: Error) => void failures.push({ pool, error }))),
    );
    return failures;
  }

  /** Stops every pool, each draining for up to `drainMs`. */
  async stop(drainMs = this.current.drainMs): Promise<void> {
    await Promise.all(this.list.map((pool) => pool.stop(drainMs)));
  }

  clearFaults(): void {
    for (const pool of this.pools) pool.clearFaults();
  }

  resetStatistics(): void {
    for (const pool of this.pools) pool.resetStatistics();
  }

  /** Every pool in effect (on the port it listens on, if overridden) as `target`'s configuration. Throws a `ConfigError` naming what cannot be written. */
  exportConfig(target: ExportTarget): string {
    return exportConfig(target, this.pools.map((pool) => pool.definition), version);
  }

  /**
   * Applies changed settings pool by pool: a pool no longer there stops, a new one starts if the
   * balancer runs, and each other pool applies its own changes, so that changing one pool never
   * restarts another.
   */
  async applySettings(settings: ExtensionSettings): Promise<void> {
    const wasRunning = this.running;
    this.current = settings;
    const next = new Map(poolsToRun(settings).map(({ name, options }) => [name, options]));
    const gone = this.list.filter((pool) => !next.has(pool.name));
    for (const pool of gone) this.log.info(t('Pool {0} is no longer in the settings: stopping it.', pool.name));
    await Promise.all(gone.map((pool) => pool.stop(0).then(() => pool.dispose())));
    const known = new Map(this.list.map((pool) => [pool.name, pool]));
    const added: PoolService[] = [];
    const changed: Array<[PoolService, BalancerOptions]> = [];
    this.list = [...next].map(([name, options]) => {
      const pool = known.get(name);
      // A pool whose settings did not change is left alone.
      if (pool && JSON.stringify(pool.options) !== JSON.stringify(options)) changed.push([pool, options]);
      if (pool) return pool;
      const created = this.create({ name, options });
      added.push(created);
      return created;
    });
    await Promise.all(changed.map(([pool, options]) => pool.applyOptions(options)));
    if (wasRunning) {
      for (const pool of added) await pool.start().catch((error: Error) => this.log.error(`${poolLogPrefix(pool.name)}${error.message}`));
    }
    this.scheduleRefresh();
  }

  dispose(): void {
    // `deactivate` drains first; this is the backstop that leaves no socket listening.
    for (const pool of this.pools) pool.dispose();
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }

  private create({ name, options }: PoolDefinition): PoolService {
    return new PoolService(name, options, this.log, () => this.scheduleRefresh(), poolLogPrefix(name));
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
