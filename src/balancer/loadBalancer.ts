// The balancer's public face: start, stop and drain, snapshots, events and live changes. The work
// is done by its parts: the frontend (start and stop), the backends, the connector and the data path.
import { EventEmitter } from 'node:events';
import type { Server } from 'node:net';
import { formatAddress } from './address';
import { ConfigError } from './errors';
import { Backends } from './backends';
import { Connector } from './connector';
import type { Side } from './dataPath';
import { assertFaultFitsMode } from './faults/fault';
import { Frontend } from './frontend';
import { HttpFrontend } from './http/httpFrontend';
import { LiveSettings, sameHealth } from './liveSettings';
import { emitLog } from './log';
import { resolveHealth, resolveOptions, validateStrategy, type ResolvedOptions } from './options';
import { createStrategy } from './strategies';
import { TrafficRecorder } from './traffic/trafficRecorder';
import type {
  Address,
  BackendSnapshot,
  BackendSpec,
  BalancerEvents,
  BalancerOptions,
  BalancerSnapshot,
  Fault,
  FaultSpec,
  Health,
  HealthCheckOptions,
  StrategyName,
} from './types';

export interface StopOptions {
  /** How long open connections may go on finishing before they are closed; 0 closes them now. */
  drainMs?: number;
}

export class LoadBalancer extends EventEmitter<BalancerEvents> {
  /** As configured; the address, the data path and the mode apply at the next start. */
  private options: ResolvedOptions;
  /** What the next connection or request reads: changed by `configure` only. */
  private readonly settings: LiveSettings;
  private readonly backends: Backends;
  private readonly connector: Connector<Side>;
  private readonly http: HttpFrontend;
  /** Per backend and per second, and the last connections or requests: what the traffic panel shows. */
  readonly traffic: TrafficRecorder;
  private readonly frontend: Frontend;

  constructor(options: BalancerOptions) {
    super();
    this.options = resolveOptions(options);
    this.settings = new LiveSettings(this.options);
    this.backends = new Backends(this, this.options.backends, this.options.health);
    this.traffic = new TrafficRecorder(this, () => this.backends.list, () => this.frontend.mode);
    this.connector = new Connector<Side>(this, this.backends, this.settings, createStrategy(this.options.strategy), this.traffic);
    this.http = new HttpFrontend(this, this.backends, this.settings, this.connector, this.traffic);
    this.frontend = new Frontend(this, this.backends, this.connector, this.http, this.settings, () => this.options);
    for (const { backend, fault } of options.faults ?? []) {
      assertFaultFitsMode(fault, this.options.mode);
      this.backends.find(backend).faults.add(fault);
    }
  }

  get running(): boolean {
    return this.frontend.listening !== undefined;
  }

  /** The address really listened on (the chosen port when 0 was asked), while running. */
  address(): Address | undefined {
    return this.frontend.listening?.address;
  }

  /** The listening server while running, for other processes to accept on the same port. */
  sharedServer(): Server | undefined {
    return this.frontend.listening?.server;
  }

  /**
   * Starts listening. Rejects, with nothing left running, when the address cannot be bound.
   * With `shared`, serves the connections of a server that is already listening instead (one
   * another process handed over, so that several processes accept on one port).
   */
  start(shared?: Server): Promise<Address> {
    return this.frontend.start(shared);
  }

  /**
   * Stops accepting at once, lets open connections finish for up to `drainMs`, closes the rest,
   * and resolves when every socket is closed. Calling it when stopped does nothing; calling it
   * with `drainMs: 0` while a drain is under way cuts the drain short.
   */
  stop({ drainMs = 0 }: StopOptions = {}): Promise<void> {
    return this.frontend.stop(drainMs);
  }

  snapshot(): BalancerSnapshot {
    const listening = this.frontend.listening?.address;
    // While stopped, the mode the next start takes.
    const mode = listening ? this.frontend.mode : this.options.mode;
    return {
      frontend: {
        host: this.options.host,
        port: listening?.port ?? this.options.port,
        listening: listening !== undefined,
        strategy: this.connector.strategy.name,
        mode,
        sticky: this.settings.sticky,
        ...(listening ? { dataPath: this.connector.pathName } : {}),
        ...this.connector.counters(),
        ...(mode === 'http' ? { requests: this.http.stats.snapshot() } : {}),
      },
      backends: this.backends.snapshot(mode),
    };
  }

  /** Sets every counter back to zero; active connections stay counted as active. */
  resetStatistics(): void {
    this.backends.resetCounters();
    this.connector.resetCounters();
    this.http.stats.reset();
    this.emit('statisticsReset');
  }

  addBackend(spec: BackendSpec): BackendSnapshot {
    return this.backends.add(spec);
  }

  /** Takes a backend out of rotation; its open connections finish undisturbed. */
  removeBackend(idOrAddress: string): void {
    this.backends.remove(idOrAddress);
  }

  /** Disabling drains: no new connections, the open ones finish. */
  setEnabled(idOrAddress: string, enabled: boolean): void {
    this.backends.setEnabled(idOrAddress, enabled);
  }

  /** Makes the backend list equal to `specs`, keeping the state of backends that stay. */
  setBackends(specs: readonly BackendSpec[]): void {
    this.backends.replace(specs);
  }

  setStrategy(name: StrategyName): void {
    const strategy = validateStrategy(name);
    if (strategy === this.connector.strategy.name) return;
    this.connector.strategy = createStrategy(strategy);
    emitLog(this, 'info', `Strategy set to ${strategy}`);
    this.emit('configChanged');
  }

  /** Replaces the health check settings; checks restart from the new settings. */
  setHealthCheck(health: Partial<HealthCheckOptions> | false): void {
    this.backends.setHealthCheck(resolveHealth(health));
  }

  /**
   * Applies new options without a restart: backends, strategy, health checks, timeouts and the
   * connection limit change live, and so do HTTP mode's timeouts and stickiness. The listening
   * address can change only while stopped; the data path and the mode apply at the next start.
   */
  configure(options: Partial<BalancerOptions>): void {
    const current = this.options;
    // The backend list at construction may be out of date; only a new one given here is applied.
    const next = resolveOptions({ ...current, health: this.backends.healthCheck, ...options, backends: options.backends ?? [] });
    const listening = this.frontend.listening?.address;
    // Naming the port it listens on (when 0 was configured) is no move.
    const moved = next.host !== current.host || (next.port !== current.port && next.port !== listening?.port);
    if (listening && moved) {
      throw new ConfigError(
        `Cannot move the frontend from ${formatAddress(listening)} to ${formatAddress(next)} while it is running: stop it first.`,
      );
    }
    this.options = { ...next, backends: current.backends };
    this.settings.apply(next);
    if (options.backends) this.backends.replace(next.backends);
    this.setStrategy(next.strategy);
    if (!sameHealth(next.health, this.backends.healthCheck)) this.backends.setHealthCheck(next.health);
  }

  /**
   * Gives a backend's connections a fault (toxiproxy's toxics: `validateFault` says what is
   * allowed): new ones, and those of TCP mode already open, each by its toxicity. Returns the fault as checked.
   */
  addFault(idOrAddress: string, spec: FaultSpec): Fault {
    assertFaultFitsMode(spec, this.options.mode);
    const { backend, fault } = this.backends.addFault(idOrAddress, spec);
    // Kept connections opened before the fault would not get it.
    this.http.keepAlive.closeIdle(backend);
    return fault;
  }

  /** A backend's faults, in the order they were added. */
  faults(idOrAddress: string): readonly Fault[] {
    return this.backends.find(idOrAddress).faults.list;
  }

  /** Removes a backend's fault by name, from open connections too: what it delayed goes out at once. */
  removeFault(idOrAddress: string, name: string): void {
    this.backends.removeFault(idOrAddress, name);
  }

  /** Removes every fault of every backend. */
  clearFaults(): void {
    this.backends.clearFaults();
  }

  /**
   * Sets a backend's health from a verdict made elsewhere: the checks of another process serving
   * the same port. Meant for a balancer that does not check by itself (`health: false`).
   */
  applyHealth(idOrAddress: string, health: Health, reason: string): void {
    this.backends.applyHealth(idOrAddress, health, reason);
  }
}
