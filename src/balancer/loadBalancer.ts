// The balancer's public face: start, stop and drain, snapshots, events and live changes. The work
// is done by its parts: the backend pool, the connector and the data path.
import { EventEmitter } from 'node:events';
import type { Server } from 'node:net';
import { ConfigError, formatAddress } from './address';
import { BackendPool, faultLine } from './backendPool';
import { Connector } from './connector';
import type { DataPath, Listener, Side } from './dataPath';
import { chooseDataPath } from './dataPathChoice';
import { assertFaultFitsMode } from './faults/fault';
import { HttpFrontend } from './http/httpFrontend';
import { emitLog } from './log';
import { resolveHealth, resolveOptions, validateStrategy, type ResolvedOptions } from './options';
import { isOutOfDescriptors, outOfDescriptorsMessage } from './socketErrors';
import { socketPath } from './socketPath';
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
  Mode,
  StrategyName,
} from './types';

export interface StopOptions {
  /** How long open connections may go on finishing before they are closed; 0 closes them now. */
  drainMs?: number;
}

export class LoadBalancer extends EventEmitter<BalancerEvents> {
  private readonly options: ResolvedOptions;
  private readonly pool: BackendPool;
  private readonly connector: Connector<Side>;
  private readonly http: HttpFrontend;
  /** Per backend and per second, and the last connections or requests: what the traffic panel shows. */
  readonly traffic: TrafficRecorder;
  /** The mode serving since the last start; the configured one applies at the next. */
  private mode: Mode;
  /** The handle path's fallback is explained once per balancer, not at every start. */
  private fallbackExplained = false;
  private listener?: Listener;
  /** From the start of `start` until it settles: a second start is refused, a stop waits for it. */
  private starting?: Promise<Address>;
  private stopping?: Promise<void>;
  private endDrain?: () => void;

  constructor(options: BalancerOptions) {
    super();
    this.options = resolveOptions(options);
    this.pool = new BackendPool(this, this.options.backends, this.options.health);
    this.mode = this.options.mode;
    this.traffic = new TrafficRecorder(this, () => this.pool.list, () => this.mode);
    this.connector = new Connector<Side>(this, this.pool, this.options, createStrategy(this.options.strategy), socketPath, this.traffic);
    this.http = new HttpFrontend(this, this.pool, this.options, this.connector, this.traffic);
    for (const { backend, fault } of options.faults ?? []) {
      assertFaultFitsMode(fault, this.options.mode);
      this.pool.find(backend).faults.add(fault);
    }
  }

  get running(): boolean {
    return this.listener !== undefined;
  }

  /** The address really listened on (the chosen port when 0 was asked), while running. */
  address(): Address | undefined {
    return this.listener?.address;
  }

  /** The listening server while running, for other processes to accept on the same port. */
  sharedServer(): Server | undefined {
    return this.listener?.server;
  }

  /**
   * Starts listening. Rejects, with nothing left running, when the address cannot be bound.
   * With `shared`, serves the connections of a server that is already listening instead (one
   * another process handed over, so that several processes accept on one port).
   */
  async start(shared?: Server): Promise<Address> {
    // Not awaited when nothing stops: a stop called right after this call must find it starting.
    if (this.stopping) await this.stopping;
    if (this.listener || this.starting) throw new Error('The balancer is already running.');
    const starting = this.listen(shared);
    this.starting = starting;
    try {
      return await starting;
    } finally {
      this.starting = undefined;
    }
  }

  /**
   * Stops accepting at once, lets open connections finish for up to `drainMs`, closes the rest,
   * and resolves when every socket is closed. Calling it when stopped does nothing; calling it
   * with `drainMs: 0` while a drain is under way cuts the drain short.
   */
  stop({ drainMs = 0 }: StopOptions = {}): Promise<void> {
    // Stopping while starting (the data path's self-test takes some milliseconds) stops once started.
    if (this.starting) return this.starting.then(() => this.stop({ drainMs }), () => undefined);
    if (this.stopping) {
      if (drainMs === 0) this.endDrain?.();
      return this.stopping;
    }
    const listener = this.listener;
    if (!listener) return Promise.resolve();
    this.stopping = this.shutdown(listener, drainMs).finally(() => {
      this.stopping = undefined;
      this.endDrain = undefined;
    });
    return this.stopping;
  }

  snapshot(): BalancerSnapshot {
    const listening = this.listener?.address;
    // While stopped, the mode the next start takes.
    const mode = listening ? this.mode : this.options.mode;
    return {
      frontend: {
        host: this.options.host,
        port: listening?.port ?? this.options.port,
        listening: listening !== undefined,
        strategy: this.connector.strategy.name,
        mode,
        sticky: this.options.sticky,
        ...(listening ? { dataPath: this.connector.pathName } : {}),
        ...this.connector.counters(),
        ...(mode === 'http' ? { requests: this.http.stats.snapshot() } : {}),
      },
      backends: this.pool.snapshot(mode),
    };
  }

  /** Sets every counter back to zero; active connections stay counted as active. */
  resetStatistics(): void {
    this.pool.resetCounters();
    this.connector.resetCounters();
    this.http.stats.reset();
    this.emit('statisticsReset');
  }

  addBackend(spec: BackendSpec): BackendSnapshot {
    return this.pool.add(spec);
  }

  /** Takes a backend out of rotation; its open connections finish undisturbed. */
  removeBackend(idOrAddress: string): void {
    this.pool.remove(idOrAddress);
  }

  /** Disabling drains: no new connections, the open ones finish. */
  setEnabled(idOrAddress: string, enabled: boolean): void {
    this.pool.setEnabled(idOrAddress, enabled);
  }

  /** Makes the backend list equal to `specs`, keeping the state of backends that stay. */
  setBackends(specs: readonly BackendSpec[]): void {
    this.pool.replace(specs);
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
    this.pool.setHealthCheck(resolveHealth(health));
  }

  /**
   * Applies new options without a restart: backends, strategy, health checks, timeouts and the
   * connection limit change live, and so do HTTP mode's timeouts and stickiness. The listening
   * address can change only while stopped; the data path and the mode apply at the next start.
   */
  configure(options: Partial<BalancerOptions>): void {
    const current = this.options;
    // The backend list at construction may be out of date; only a new one given here is applied.
    const next = resolveOptions({ ...current, health: this.pool.healthCheck, ...options, backends: options.backends ?? [] });
    const listening = this.listener?.address;
    // Naming the port it listens on (when 0 was configured) is no move.
    const moved = next.host !== current.host || (next.port !== current.port && next.port !== listening?.port);
    if (listening && moved) {
      throw new ConfigError(
        `Cannot move the frontend from ${formatAddress(listening)} to ${formatAddress(next)} while it is running: stop it first.`,
      );
    }
    // The parts read live (limits, timeouts) or at the next start (address, data path, mode).
    Object.assign(current, { ...next, backends: current.backends });
    if (options.backends) this.pool.replace(next.backends);
    this.setStrategy(next.strategy);
    if (JSON.stringify(next.health) !== JSON.stringify(this.pool.healthCheck)) this.pool.setHealthCheck(next.health);
  }

  /**
   * Gives a backend's new connections a fault (toxiproxy's toxics: `validateFault` says what is
   * allowed); connections already open keep their bytes as they were. Returns the fault as checked.
   */
  addFault(idOrAddress: string, spec: FaultSpec): Fault {
    assertFaultFitsMode(spec, this.options.mode);
    const { backend, fault } = this.pool.addFault(idOrAddress, spec);
    // Kept connections opened before the fault would not get it.
    this.http.upstreams.closeIdle(backend);
    return fault;
  }

  /** A backend's faults, in the order they were added. */
  faults(idOrAddress: string): readonly Fault[] {
    return this.pool.find(idOrAddress).faults.list;
  }

  /** Removes a backend's fault by name, from open connections too: what it delayed goes out at once. */
  removeFault(idOrAddress: string, name: string): void {
    this.pool.removeFault(idOrAddress, name);
  }

  /** Removes every fault of every backend. */
  clearFaults(): void {
    this.pool.clearFaults();
  }

  /**
   * Sets a backend's health from a verdict made elsewhere: the checks of another process serving
   * the same port. Meant for a balancer that does not check by itself (`health: false`).
   */
  applyHealth(idOrAddress: string, health: Health, reason: string): void {
    this.pool.applyHealth(idOrAddress, health, reason);
  }

  private async listen(shared: Server | undefined): Promise<Address> {
    this.mode = this.options.mode;
    const path = await this.dataPath();
    this.connector.use(path, this.mode === 'http' ? this.http.serve : undefined);
    this.listener = await path.listen(this.options, shared, (client) => this.connector.accept(client), (error) => this.onListenError(error));
    const address = this.listener.address;
    this.pool.startChecks();
    const count = this.pool.list.length;
    const backends = `${count} backend${count === 1 ? '' : 's'}`;
    const how = `${this.mode} mode${this.mode === 'http' && this.options.sticky ? ' with sticky sessions' : ''}, ${path.name} data path`;
    emitLog(this, 'info', `Listening on ${formatAddress(address)} (${this.connector.strategy.name} over ${backends}, ${how})`);
    for (const backend of this.pool.list) for (const fault of backend.faults.list) emitLog(this, 'info', faultLine(backend, fault));
    this.emit('listening', address);
    return address;
  }

  /** The data path asked for, or the handles once their self-test passed (docs/data-path.md). */
  private async dataPath(): Promise<DataPath<Side>> {
    const { path, fallback } = await chooseDataPath(this.options.dataPath);
    if (fallback && !this.fallbackExplained) {
      this.fallbackExplained = true;
      emitLog(this, 'warn', `The handles data path cannot serve in this Node ${process.version}: ${fallback}. net.Socket copies the bytes instead.`);
    }
    return path;
  }

  private async shutdown(listener: Listener, drainMs: number): Promise<void> {
    this.listener = undefined;
    const closed = listener.close();
    this.pool.stopChecks();
    if (this.mode === 'http') this.http.drain();
    const open = this.connector.open;
    if (open.size > 0 && drainMs > 0) {
      emitLog(this, 'info', `Draining ${this.connector.activeConnections} connection(s) for up to ${drainMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        open.allClosed(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, drainMs);
          this.endDrain = resolve;
        }),
      ]);
      clearTimeout(timer);
    }
    if (open.size > 0) {
      emitLog(this, 'info', `Closing ${this.connector.activeConnections} connection(s) still open`);
      open.abortAll();
    }
    await Promise.all([open.allClosed(), closed]);
    emitLog(this, 'info', `Stopped listening on ${formatAddress(listener.address)}`);
    this.emit('stopped');
  }

  private onListenError(error: Error): void {
    const warnings = this.connector.warnings;
    if (isOutOfDescriptors(error)) warnings.warn('descriptors', () => `Refused new connections: ${outOfDescriptorsMessage(error)}`);
    else warnings.warn('frontend', () => `Frontend error: ${error.message}`);
  }
}
