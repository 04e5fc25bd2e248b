// The balancer: accepts clients, picks a backend, proxies, and keeps health and statistics.
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { assertNoDuplicates, ConfigError, formatAddress, parseAddress, validateBackendSpec } from './address';
import { Backend } from './backend';
import { openFileLimit } from './descriptorLimit';
import { HealthChecker } from './healthChecker';
import { ThrottledWarnings } from './logThrottle';
import { resolveHealth, resolveOptions, validateStrategy, type ResolvedOptions } from './options';
import { abort, connectToBackend, splice } from './proxy';
import { isOutOfDescriptors, isRefused, otherLoopback } from './socketErrors';
import { createStrategy, type Strategy } from './strategies';
import type {
  BackendAddress,
  BackendSnapshot,
  BackendSpec,
  BackendState,
  BalancerEvents,
  BalancerOptions,
  BalancerSnapshot,
  CheckResult,
  Health,
  HealthCheckOptions,
  LogEntry,
  StrategyName,
} from './types';

/** How often each kind of repeating warning ("no backend available", …) may be logged. */
const WARNING_INTERVAL_MS = 5000;
/**
 * Connections the kernel may queue before we accept them (capped by net.core.somaxconn). Node's
 * default of 511 overflows in a burst of clients, and a silent client is then left half-connected.
 */
const LISTEN_BACKLOG = 4096;
/**
 * Descriptors kept free for everything but proxied sockets: stdio, the listening socket, libuv's
 * own, health checks, the admin endpoint.
 */
const RESERVED_DESCRIPTORS = 32;
/** How long a refused client may keep its half of the connection open before it is closed. */
const REJECTED_CLIENT_LINGER_MS = 1000;

export interface StopOptions {
  /** How long open connections may go on finishing before they are closed; 0 closes them now. */
  drainMs?: number;
}

export class LoadBalancer extends EventEmitter<BalancerEvents> {
  private readonly options: ResolvedOptions;
  private backends: Backend[];
  private strategy: Strategy;
  private server?: Server;
  private stopping?: Promise<void>;
  private endDrain?: () => void;
  private listeningOn?: BackendAddress;
  private readonly checkers = new Map<Backend, HealthChecker>();
  /** Every client and backend socket of this balancer, so stop can wait for or close them all. */
  private readonly sockets = new Set<Socket>();
  private whenSocketsClosed: Array<() => void> = [];
  /**
   * Out of descriptors, libuv accepts and resets new connections without telling us; staying
   * below the limit lets us refuse them cleanly and say so instead.
   */
  private readonly descriptorLimit = openFileLimit();
  private readonly warnings = new ThrottledWarnings(WARNING_INTERVAL_MS, (message) => this.log('warn', message));
  private nextConnectionId = 1;
  private activeClients = 0;
  private totalClients = 0;
  private rejectedClients = 0;
  private clientBytesIn = 0;
  private clientBytesOut = 0;

  constructor(options: BalancerOptions) {
    super();
    this.options = resolveOptions(options);
    this.backends = this.options.backends.map((spec) => new Backend(spec));
    this.strategy = createStrategy(this.options.strategy);
  }

  get running(): boolean {
    return this.listeningOn !== undefined;
  }

  /** The address really listened on (the chosen port when 0 was asked), while running. */
  address(): BackendAddress | undefined {
    return this.listeningOn;
  }

  /**
   * Starts listening. Rejects, with nothing left running, when the address cannot be bound.
   * With `shared`, serves the connections of a server that is already listening instead (one
   * another process handed over, so that several processes accept on one port).
   */
  async start(shared?: Server): Promise<BackendAddress> {
    await this.stopping;
    if (this.server) throw new Error('The balancer is already running.');
    const { host, port } = this.options;
    const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => this.accept(client));
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        const listening = (): void => {
          server.removeListener('error', reject);
          resolve();
        };
        // A shared server is already bound: this server takes over its socket.
        if (shared) server.listen(shared, listening);
        else server.listen({ host, port, backlog: LISTEN_BACKLOG }, listening);
      });
    } catch (error) {
      this.server = undefined;
      throw describeListenError(error, { host, port });
    }
    // libuv keeps accepting after an error; out of descriptors, it closes the connections it cannot take.
    server.on('error', (error) => {
      if (isOutOfDescriptors(error)) this.warnings.warn('descriptors', () => `Refused new connections: ${outOfDescriptorsMessage(error)}`);
      else this.warnings.warn('frontend', () => `Frontend error: ${error.message}`);
    });
    const actual = server.address() as AddressInfo;
    this.listeningOn = { host, port: actual.port };
    for (const backend of this.backends) {
      backend.resetHealth();
      this.startChecker(backend);
    }
    this.log(
      'info',
      `Listening on ${formatAddress(this.listeningOn)} (${this.strategy.name} over ${this.backends.length} backend${this.backends.length === 1 ? '' : 's'})`,
    );
    this.emit('listening', this.listeningOn);
    return this.listeningOn;
  }

  /**
   * Stops accepting at once, lets open connections finish for up to `drainMs`, closes the rest,
   * and resolves when every socket is closed. Calling it when stopped does nothing; calling it
   * with `drainMs: 0` while a drain is under way cuts the drain short.
   */
  stop({ drainMs = 0 }: StopOptions = {}): Promise<void> {
    if (this.stopping) {
      if (drainMs === 0) this.endDrain?.();
      return this.stopping;
    }
    const server = this.server;
    if (!server) return Promise.resolve();
    this.stopping = this.shutdown(server, drainMs).finally(() => {
      this.stopping = undefined;
      this.endDrain = undefined;
    });
    return this.stopping;
  }

  private async shutdown(server: Server, drainMs: number): Promise<void> {
    this.server = undefined;
    const address = this.listeningOn;
    this.listeningOn = undefined;
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const checker of this.checkers.values()) checker.stop();
    this.checkers.clear();
    if (this.sockets.size > 0 && drainMs > 0) {
      this.log('info', `Draining ${this.activeClients} connection(s) for up to ${drainMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.allSocketsClosed(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, drainMs);
          this.endDrain = resolve;
        }),
      ]);
      clearTimeout(timer);
    }
    if (this.sockets.size > 0) {
      this.log('info', `Closing ${this.activeClients} connection(s) still open`);
      for (const socket of this.sockets) abort(socket);
    }
    await Promise.all([this.allSocketsClosed(), serverClosed]);
    if (address) this.log('info', `Stopped listening on ${formatAddress(address)}`);
    this.emit('stopped');
  }

  /** The listening server while running, to hand over to other processes that serve the same port. */
  listener(): Server | undefined {
    return this.server;
  }

  snapshot(): BalancerSnapshot {
    const all = this.backends.reduce((sum, backend) => sum + backend.totalConnections, 0);
    const listening = this.listeningOn;
    return {
      frontend: {
        host: this.options.host,
        port: listening?.port ?? this.options.port,
        listening: listening !== undefined,
        strategy: this.strategy.name,
        activeConnections: this.activeClients,
        totalConnections: this.totalClients,
        rejectedConnections: this.rejectedClients,
        bytesIn: this.clientBytesIn,
        bytesOut: this.clientBytesOut,
      },
      backends: this.backends.map((backend) => backend.snapshot(all)),
    };
  }

  /** Sets every counter back to zero; active connections stay counted as active. */
  resetStatistics(): void {
    for (const backend of this.backends) backend.resetCounters();
    this.totalClients = this.activeClients;
    this.rejectedClients = 0;
    this.clientBytesIn = 0;
    this.clientBytesOut = 0;
    this.emit('statisticsReset');
  }

  addBackend(spec: BackendSpec): BackendSnapshot {
    const valid = validateBackendSpec(spec);
    assertNoDuplicates([...this.backends.map((backend) => backend.spec), valid]);
    const backend = new Backend(valid);
    this.backends.push(backend);
    if (this.running) this.startChecker(backend);
    this.log('info', `Added backend ${backend.label}`);
    this.emit('configChanged');
    return backend.snapshot(0);
  }

  /** Takes a backend out of rotation; its open connections finish undisturbed. */
  removeBackend(idOrAddress: string): void {
    const backend = this.find(idOrAddress);
    this.backends = this.backends.filter((candidate) => candidate !== backend);
    this.stopChecker(backend);
    this.log('info', `Removed backend ${backend.label}`);
    this.emit('configChanged');
  }

  /** Disabling drains: no new connections, the open ones finish. */
  setEnabled(idOrAddress: string, enabled: boolean): void {
    const backend = this.find(idOrAddress);
    if (backend.enabled === enabled) return;
    const from = backend.state;
    backend.enabled = enabled;
    const reason = enabled ? 'enabled by user' : 'disabled by user';
    this.log('info', `Backend ${backend.label} ${reason}${enabled ? '' : `, ${backend.sockets.size} connection(s) draining`}`);
    this.emit('stateChanged', { backend: backend.id, from, to: backend.state, reason });
    this.emit('configChanged');
  }

  /** Makes the backend list equal to `specs`, keeping the state of backends that stay. */
  setBackends(specs: readonly BackendSpec[]): void {
    const wanted = specs.map(validateBackendSpec);
    assertNoDuplicates(wanted);
    const wantedIds = new Set(wanted.map((spec) => formatAddress(spec)));
    for (const backend of [...this.backends]) {
      if (!wantedIds.has(backend.id)) this.removeBackend(backend.id);
    }
    const kept = new Map(this.backends.map((backend) => [backend.id, backend]));
    for (const spec of wanted) {
      if (!kept.has(formatAddress(spec))) this.addBackend(spec);
    }
    // Follow the order of `specs`, so round robin and displays match the configuration.
    const byId = new Map(this.backends.map((backend) => [backend.id, backend]));
    this.backends = wanted.map((spec) => {
      const backend = byId.get(formatAddress(spec)) as Backend;
      backend.spec = spec;
      return backend;
    });
    this.emit('configChanged');
  }

  setStrategy(name: StrategyName): void {
    const strategy = validateStrategy(name);
    if (strategy === this.strategy.name) return;
    this.strategy = createStrategy(strategy);
    this.log('info', `Strategy set to ${strategy}`);
    this.emit('configChanged');
  }

  /**
   * Applies new options without a restart: backends, strategy, health checks and timeouts change
   * live. The listening address can change only while stopped.
   */
  configure(options: Partial<BalancerOptions>): void {
    const current = this.options;
    // The backend list at construction may be out of date; only a new one given here is applied.
    const next = resolveOptions({ ...current, ...options, backends: options.backends ?? [] });
    const listening = this.listeningOn;
    // Naming the port it listens on (when 0 was configured) is no move.
    const moved = next.host !== current.host || (next.port !== current.port && next.port !== listening?.port);
    if (listening && moved) {
      throw new ConfigError(
        `Cannot move the frontend from ${formatAddress(listening)} to ${formatAddress(next)} while it is running: stop it first.`,
      );
    }
    current.host = next.host;
    current.port = next.port;
    current.connectTimeoutMs = next.connectTimeoutMs;
    current.idleTimeoutMs = next.idleTimeoutMs;
    if (options.backends) this.setBackends(next.backends);
    this.setStrategy(next.strategy);
    if (JSON.stringify(next.health) !== JSON.stringify(current.health)) this.setHealthCheck(next.health);
  }

  /** Replaces the health check settings; checks restart from the new settings. */
  setHealthCheck(health: Partial<HealthCheckOptions> | false): void {
    this.options.health = resolveHealth(health);
    for (const backend of this.backends) {
      this.stopChecker(backend);
      backend.resetHealth();
      if (this.running) this.startChecker(backend);
    }
    this.emit('configChanged');
  }

  /**
   * Sets a backend's health from a verdict made elsewhere: the checks of another process serving
   * the same port. Meant for a balancer that does not check by itself (`health: false`). Not
   * logged: the balancer that made the verdict logs it.
   */
  applyHealth(idOrAddress: string, health: Health, reason: string): void {
    const backend = this.find(idOrAddress);
    const from = backend.state;
    if (backend.applyHealth(health)) this.emit('stateChanged', { backend: backend.id, from, to: backend.state, reason });
  }

  private accept(client: Socket): void {
    // Errors are handled when the connection closes; this listener keeps them from crashing us.
    client.on('error', ignoreError);
    this.totalClients++;
    const limit = this.options.maxConnections;
    if (limit > 0 && this.activeClients >= limit) {
      this.track(client);
      this.reject(client, 'limit', `${limit} connections are open, the most allowed`);
      return;
    }
    const descriptors = this.descriptorLimit;
    if (descriptors !== undefined && this.sockets.size + RESERVED_DESCRIPTORS + this.backends.length >= descriptors) {
      this.track(client);
      this.reject(client, 'descriptors', `nearly out of file descriptors (ulimit -n ${descriptors}); raise the limit for more connections`);
      return;
    }
    this.activeClients++;
    this.sockets.add(client);
    client.on('close', () => {
      this.activeClients--;
      this.clientBytesIn += client.bytesRead;
      this.clientBytesOut += client.bytesWritten;
      this.untrack(client);
    });
    this.connectClient(client);
  }

  /**
   * Tries backends in strategy order until one accepts the connection; each is tried once.
   * `tried` exists only once an attempt failed, which is rare: most connections allocate nothing here.
   */
  private connectClient(client: Socket, tried?: Set<Backend>): void {
    if (client.destroyed) return;
    const backend = this.strategy.pick(this.backends, tried ? (candidate) => candidate.available && !tried.has(candidate) : isAvailable);
    if (!backend) {
      this.reject(client, 'no-backend', tried ? `all ${tried.size} backend(s) tried failed to connect` : this.whyNoBackend());
      return;
    }
    this.connectTo(backend, backend.connectHost, client, tried);
  }

  /** One attempt at one address of a backend; a refused loopback address gets its twin tried once. */
  private connectTo(backend: Backend, host: string, client: Socket, tried: Set<Backend> | undefined, twin = false): void {
    const abandon = (): void => {
      upstream.destroy();
    };
    const upstream = connectToBackend({ host, port: backend.spec.port }, this.options.connectTimeoutMs, client, (error) => {
      client.removeListener('close', abandon);
      if (!error) {
        backend.connectHost = host;
        this.onConnected(client, backend, upstream);
        return;
      }
      const other = otherLoopback(host);
      if (!twin && other && isRefused(error)) {
        this.connectTo(backend, other, client, tried, true);
      } else if (isOutOfDescriptors(error)) {
        // Our own limit, not the backend's fault, and every other backend would fail the same way.
        this.reject(client, 'descriptors', outOfDescriptorsMessage(error));
      } else {
        this.onConnectFailed(backend, error);
        this.connectClient(client, (tried ?? new Set()).add(backend));
      }
    });
    this.track(upstream);
    // A client that leaves while we connect takes the attempt with it.
    client.on('close', abandon);
  }

  private onConnected(client: Socket, backend: Backend, upstream: Socket): void {
    const id = this.nextConnectionId++;
    backend.sockets.add(upstream);
    backend.totalConnections++;
    // Connection events cost an address lookup and objects per connection: only made when listened to.
    const listened = this.listenerCount('connectionOpened') + this.listenerCount('connectionClosed') > 0;
    const info = listened ? { id, client: `${client.remoteAddress}:${client.remotePort}`, backend: backend.id } : undefined;
    const startedAt = listened ? Date.now() : 0;
    if (info) this.emit('connectionOpened', info);
    this.emit('connectionsChanged');
    // Only what the backend's own socket reports is the backend's error; a client's is not.
    upstream.on('error', (error) => (backend.lastError = error.message));
    splice(client, upstream, this.options.idleTimeoutMs, (error) => {
      backend.recordClosed(upstream);
      if (info) {
        this.emit('connectionClosed', {
          ...info,
          bytesSent: upstream.bytesWritten,
          bytesReceived: upstream.bytesRead,
          durationMs: Date.now() - startedAt,
          ...(error ? { error: error.message } : {}),
        });
      }
      this.emit('connectionsChanged');
      if (!backend.enabled && backend.sockets.size === 0 && this.backends.includes(backend)) {
        this.emit('stateChanged', { backend: backend.id, from: 'draining', to: 'disabled', reason: 'drained' });
      }
    });
  }

  private onConnectFailed(backend: Backend, error: Error): void {
    backend.recordConnectFailure(error.message);
    // Passive health: without active checks nothing would bring the backend back, so only mark it
    // down when they run.
    if (this.options.health && this.backends.includes(backend)) {
      const from = backend.state;
      if (backend.markDown(error.message)) this.healthChanged(backend, from, error.message);
    }
  }

  /**
   * Closes a client that cannot be served: its pending input is discarded and it gets a FIN. With
   * a `kind`, one warning line per interval says why.
   */
  private reject(client: Socket, kind: 'no-backend' | 'limit' | 'descriptors', reason: string): void {
    this.rejectedClients++;
    this.warnings.warn(kind, () => {
      const from = `${client.remoteAddress}:${client.remotePort}`;
      return kind === 'no-backend' ? `No backend available for ${from}: ${reason}` : `Refused ${from}: ${reason}`;
    });
    client.resume();
    client.end();
    client.setTimeout(REJECTED_CLIENT_LINGER_MS, () => client.destroy());
  }

  private whyNoBackend(): string {
    if (this.backends.length === 0) return 'no backends configured';
    const down = this.backends.filter((backend) => backend.enabled && backend.health === 'down').length;
    const disabled = this.backends.filter((backend) => !backend.enabled).length;
    return [down > 0 ? `${down} down` : '', disabled > 0 ? `${disabled} disabled` : ''].filter(Boolean).join(', ');
  }

  private startChecker(backend: Backend): void {
    const health = this.options.health;
    if (!health) return;
    const checker = new HealthChecker(backend, health, (result) => this.onCheck(backend, health, result));
    this.checkers.set(backend, checker);
    checker.start();
  }

  private stopChecker(backend: Backend): void {
    this.checkers.get(backend)?.stop();
    this.checkers.delete(backend);
  }

  private onCheck(backend: Backend, health: HealthCheckOptions, result: CheckResult): void {
    const from = backend.state;
    if (backend.recordCheck(result, health.rise, health.fall)) {
      this.healthChanged(backend, from, result.error ?? `check passed in ${result.latencyMs.toFixed(1)} ms`);
    }
  }

  private healthChanged(backend: Backend, from: BackendState, reason: string): void {
    const to = backend.state;
    this.log(to === 'down' ? 'warn' : 'info', `Backend ${backend.label} is ${to} (${reason})`);
    this.emit('stateChanged', { backend: backend.id, from, to, reason });
  }

  private find(idOrAddress: string): Backend {
    let id = idOrAddress;
    try {
      id = formatAddress(parseAddress(idOrAddress));
    } catch {
      // Not an address: it may still be a name.
    }
    const backend = this.backends.find((candidate) => candidate.id === id || candidate.spec.name === idOrAddress);
    if (!backend) throw new ConfigError(`Unknown backend ${JSON.stringify(idOrAddress)}.`);
    return backend;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.untrack(socket));
  }

  private untrack(socket: Socket): void {
    this.sockets.delete(socket);
    if (this.sockets.size === 0) {
      for (const resolve of this.whenSocketsClosed.splice(0)) resolve();
    }
  }

  private allSocketsClosed(): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenSocketsClosed.push(resolve));
  }

  private log(level: LogEntry['level'], message: string): void {
    this.emit('log', { level, message });
  }
}

const ignoreError = (): void => {};
const isAvailable = (backend: Backend): boolean => backend.available;

function outOfDescriptorsMessage(error: Error): string {
  return `out of file descriptors (${(error as NodeJS.ErrnoException).code}); raise the limit (ulimit -n) for more connections`;
}

function describeListenError(error: unknown, address: BackendAddress): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = formatAddress(address);
  const message =
    code === 'EADDRINUSE'
      ? `Port ${address.port} is already in use (${where}).`
      : code === 'EACCES'
        ? `Not allowed to listen on ${where}.`
        : code === 'EADDRNOTAVAIL'
          ? `Cannot listen on ${where}: the address is not on this machine.`
          : `Cannot listen on ${where}: ${(error as Error).message}`;
  return Object.assign(new Error(message), { code });
}
