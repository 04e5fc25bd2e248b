// One backend: who it is, its health (with rise/fall hysteresis) and administrative state; its
// faults and its statistics are objects of their own.
import { formatAddress } from './address';
import { BackendFaults } from './faults/backendFaults';
import { faultActs } from './faults/fault';
import { BackendStats } from './statistics/backendStats';
import type { BackendSnapshot, BackendSpec, BackendState, CheckResult, Fault, FaultSnapshot, Health, Mode } from './types';

export class Backend {
  readonly id: string;
  /** Where connections go: the configured host, or the other loopback address if only that answers. */
  connectHost: string;
  health: Health = 'unknown';
  enabled = true;
  lastCheck?: CheckResult;
  lastError?: string;
  /** Faults its new connections get; not settings: they last until removed. */
  readonly faults = new BackendFaults();
  /** What is counted of it. */
  readonly stats = new BackendStats();
  /** Consecutive check results pointing away from the current health. */
  private streak = 0;

  /** The id never changes; only the display name may (the spec is replaced then). */
  constructor(public spec: BackendSpec) {
    this.id = formatAddress(spec);
    this.connectHost = spec.host;
  }

  get weight(): number {
    return this.spec.weight ?? 1;
  }

  get name(): string | undefined {
    return this.spec.name;
  }

  get label(): string {
    return this.spec.name ?? this.id;
  }

  get state(): BackendState {
    if (!this.enabled) return this.stats.busy > 0 ? 'draining' : 'disabled';
    return this.health;
  }

  /** May take new connections: enabled and not known to be down. */
  get available(): boolean {
    return this.enabled && this.health !== 'down';
  }

  /**
   * Applies one active check. The first result decides an unknown backend at once; after that it
   * takes `rise` successes in a row to come up and `fall` failures in a row to go down.
   * Returns the new health when it changed.
   */
  recordCheck(result: CheckResult, rise: number, fall: number): Health | undefined {
    this.lastCheck = result;
    if (!result.ok && result.error) this.lastError = result.error;
    const target: Health = result.ok ? 'up' : 'down';
    if (target === this.health) {
      this.streak = 0;
      return undefined;
    }
    this.streak++;
    const needed = this.health === 'unknown' ? 1 : result.ok ? rise : fall;
    return this.streak >= needed ? this.setHealth(target) : undefined;
  }

  /** Forgets what checks said, e.g. when checking restarts with other settings. */
  resetHealth(): void {
    this.health = 'unknown';
    this.streak = 0;
  }

  /** A verdict made elsewhere (`reason`: why, kept as the last error when it is down); returns the new health when it changed. */
  applyHealth(health: Health, reason?: string): Health | undefined {
    if (health === this.health) return undefined;
    if (health === 'down' && reason !== undefined) this.lastError = reason;
    return this.setHealth(health);
  }

  /** Passive check: a refused connection marks the backend down at once. */
  markDown(error: string): Health | undefined {
    this.lastError = error;
    return this.health === 'down' ? undefined : this.setHealth('down');
  }

  recordConnectFailure(error: string): void {
    this.stats.connectFailed();
    this.lastError = error;
  }

  /** Every counter back to zero, and the last error forgotten. */
  resetCounters(): void {
    this.stats.reset();
    this.lastError = undefined;
  }

  /** `all`: connections (TCP mode) or requests (HTTP mode) handed to all backends, for the share. */
  snapshot(all: number, mode: Mode = 'tcp'): BackendSnapshot {
    const { activeConnections, totalConnections, ...counted } = this.stats.snapshot(mode);
    return {
      ...this.spec,
      id: this.id,
      state: this.state,
      health: this.health,
      enabled: this.enabled,
      activeConnections,
      totalConnections,
      sharePercent: all > 0 ? (100 * this.stats.handled(mode)) / all : 0,
      ...counted,
      lastCheck: this.lastCheck,
      lastError: this.lastError,
      ...(this.faults.list.length > 0 ? { faults: this.faults.list.map((fault) => faultSnapshot(fault, mode)) } : {}),
    };
  }

  private setHealth(health: Health): Health {
    this.health = health;
    this.streak = 0;
    return health;
  }
}

/** A copy of `fault`, marked dormant when it does nothing in `mode`. */
function faultSnapshot(fault: Fault, mode: Mode): FaultSnapshot {
  const copy = { ...fault, attributes: { ...fault.attributes } };
  return faultActs(fault, mode) ? copy : { ...copy, dormant: true };
}
