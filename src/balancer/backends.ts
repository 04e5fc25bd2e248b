// The backends of one balancer: lookup, live changes, health checkers and passive health.
import { assertNoDuplicates, findBackend, formatAddress, validateBackendSpec } from './address';
import { NotFoundError } from './errors';
import { Backend } from './backend';
import type { Side } from './dataPath';
import { HealthChecker } from './healthChecker';
import { emitLog, type Events } from './log';
import { describeFault } from './faults/fault';
import type { BackendSnapshot, BackendSpec, BackendState, CheckResult, Fault, FaultSpec, Health, HealthCheckOptions, Mode } from './types';

export class Backends {
  private backends: Backend[];
  private readonly checkers = new Map<Backend, HealthChecker>();
  /** True while the balancer runs: backends are checked then, and only then. */
  private checking = false;

  constructor(
    private readonly events: Events,
    specs: readonly BackendSpec[],
    private health: HealthCheckOptions | false,
  ) {
    this.backends = specs.map((spec) => new Backend(spec));
  }

  /** In the configured order, which round robin follows. */
  get list(): readonly Backend[] {
    return this.backends;
  }

  /** By id (`host:port`), by an address that means the same (`8101`, `localhost:8101`), or by name. */
  find(idOrAddress: string): Backend {
    const backend = findBackend(this.backends, idOrAddress);
    if (!backend) throw new NotFoundError(`Unknown backend ${JSON.stringify(idOrAddress)}.`);
    return backend;
  }

  /**
   * Checks every backend from now on, from an unknown state. Without checks of its own the balancer
   * keeps what it was told (`applyHealth`): another process checks for it.
   */
  startChecks(): void {
    this.checking = true;
    if (!this.health) return;
    for (const backend of this.backends) {
      backend.resetHealth();
      this.startChecker(backend);
    }
  }

  stopChecks(): void {
    this.checking = false;
    for (const checker of this.checkers.values()) checker.stop();
    this.checkers.clear();
  }

  add(spec: BackendSpec): BackendSnapshot {
    const valid = validateBackendSpec(spec);
    assertNoDuplicates([...this.backends.map((backend) => backend.spec), valid]);
    const backend = new Backend(valid);
    this.backends.push(backend);
    this.startChecker(backend);
    emitLog(this.events, 'info', `Added backend ${backend.label}`);
    this.events.emit('configChanged');
    return backend.snapshot(0);
  }

  /** Takes a backend out of rotation; its open connections finish undisturbed. */
  remove(idOrAddress: string): void {
    const backend = this.find(idOrAddress);
    this.backends = this.backends.filter((candidate) => candidate !== backend);
    this.stopChecker(backend);
    emitLog(this.events, 'info', `Removed backend ${backend.label}`);
    this.events.emit('configChanged');
  }

  /** Disabling drains: no new connections, the open ones finish. */
  setEnabled(idOrAddress: string, enabled: boolean): void {
    const backend = this.find(idOrAddress);
    if (backend.enabled === enabled) return;
    const from = backend.state;
    backend.enabled = enabled;
    const reason = enabled ? 'enabled by user' : 'disabled by user';
    emitLog(this.events, 'info', `Backend ${backend.label} ${reason}${enabled ? '' : `, ${backend.stats.busy} connection(s) draining`}`);
    this.events.emit('stateChanged', { backend: backend.id, from, to: backend.state, reason });
    this.events.emit('configChanged');
  }

  /** Makes the list equal to `specs`, in their order, keeping the state of backends that stay. */
  replace(specs: readonly BackendSpec[]): void {
    const wanted = specs.map(validateBackendSpec);
    assertNoDuplicates(wanted);
    const wantedIds = new Set(wanted.map((spec) => formatAddress(spec)));
    for (const backend of [...this.backends]) {
      if (!wantedIds.has(backend.id)) this.remove(backend.id);
    }
    const kept = new Set(this.backends.map((backend) => backend.id));
    for (const spec of wanted) {
      if (!kept.has(formatAddress(spec))) this.add(spec);
    }
    const byId = new Map(this.backends.map((backend) => [backend.id, backend]));
    this.backends = wanted.map((spec) => {
      const backend = byId.get(formatAddress(spec)) as Backend;
      backend.spec = spec;
      return backend;
    });
    this.events.emit('configChanged');
  }

  get healthCheck(): HealthCheckOptions | false {
    return this.health;
  }

  /** Replaces the health check settings; checks restart from the new settings. */
  setHealthCheck(health: HealthCheckOptions | false): void {
    this.health = health;
    for (const backend of this.backends) {
      this.stopChecker(backend);
      backend.resetHealth();
      this.startChecker(backend);
    }
    this.events.emit('configChanged');
  }

  /** A verdict made elsewhere (another process's checks); not logged: whoever made it logs it. */
  applyHealth(idOrAddress: string, health: Health, reason: string): void {
    const backend = this.find(idOrAddress);
    const from = backend.state;
    if (backend.applyHealth(health, reason)) this.events.emit('stateChanged', { backend: backend.id, from, to: backend.state, reason });
  }

  /**
   * A connection attempt failed. Passive health: a backend that refuses is marked down at once,
   * but only while active checks run, since nothing else would bring it back.
   */
  connectFailed(backend: Backend, error: Error): void {
    backend.recordConnectFailure(error.message);
    if (this.health && this.backends.includes(backend)) {
      const from = backend.state;
      if (backend.markDown(error.message)) this.healthChanged(backend, from, error.message);
    }
  }

  /** A connection to `backend` ended; the last one of a disabled backend ends its drain. */
  connectionClosed(backend: Backend, side: Side): void {
    backend.stats.closed(side);
    if (!backend.enabled && backend.stats.busy === 0 && this.backends.includes(backend)) {
      this.events.emit('stateChanged', { backend: backend.id, from: 'draining', to: 'disabled', reason: 'drained' });
    }
  }

  addFault(idOrAddress: string, spec: FaultSpec): { backend: Backend; fault: Fault } {
    const backend = this.find(idOrAddress);
    const fault = backend.faults.add(spec);
    emitLog(this.events, 'info', faultLine(backend, fault));
    this.events.emit('configChanged');
    return { backend, fault };
  }

  removeFault(idOrAddress: string, name: string): void {
    const backend = this.find(idOrAddress);
    backend.faults.remove(name, backend.label);
    emitLog(this.events, 'info', `Fault ${name} removed from ${backend.label}`);
    this.events.emit('configChanged');
  }

  clearFaults(): void {
    const faulty = this.backends.filter((backend) => backend.faults.list.length > 0);
    if (faulty.length === 0) return;
    for (const backend of faulty) backend.faults.clear();
    emitLog(this.events, 'info', `Faults removed from ${faulty.map((backend) => backend.label).join(', ')}`);
    this.events.emit('configChanged');
  }

  /** Why no backend can take a client, for the log. */
  whyNone(): string {
    if (this.backends.length === 0) return 'no backends configured';
    const down = this.backends.filter((backend) => backend.enabled && backend.health === 'down').length;
    const disabled = this.backends.filter((backend) => !backend.enabled).length;
    return [down > 0 ? `${down} down` : '', disabled > 0 ? `${disabled} disabled` : ''].filter(Boolean).join(', ');
  }

  snapshot(mode: Mode): BackendSnapshot[] {
    const all = this.backends.reduce((sum, backend) => sum + backend.stats.handled(mode), 0);
    return this.backends.map((backend) => backend.snapshot(all, mode));
  }

  resetCounters(): void {
    for (const backend of this.backends) backend.resetCounters();
  }

  private startChecker(backend: Backend): void {
    const health = this.health;
    if (!health || !this.checking) return;
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
    emitLog(this.events, to === 'down' ? 'warn' : 'info', `Backend ${backend.label} is ${to} (${reason})`);
    this.events.emit('stateChanged', { backend: backend.id, from, to, reason });
  }
}

/** `Fault latency_downstream on :8101: latency 300 ms ↓`: how the log names a fault that is on. */
export const faultLine = (backend: Backend, fault: Fault): string => `Fault ${fault.name} on ${backend.label}: ${describeFault(fault)}`;
