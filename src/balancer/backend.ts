// One backend: its health (with rise/fall hysteresis), administrative state and counters.
import { formatAddress } from './address';
import type { Side } from './dataPath';
import { BackendFaults } from './faults/backendFaults';
import { faultActs } from './faults/fault';
import { RequestStats } from './http/requestStats';
import { LatencyStats } from './traffic/histogram';
import { SecondSlots } from './traffic/secondSlots';
import type { BackendSnapshot, BackendSpec, BackendState, CheckResult, Fault, FaultSnapshot, Health, Mode } from './types';

export class Backend {
  readonly id: string;
  /** Where connections go: the configured host, or the other loopback address if only that answers. */
  connectHost: string;
  health: Health = 'unknown';
  /** Smooth weighted round robin's running score. */
  currentWeight = 0;
  enabled = true;
  /** This backend's sides of the connections open to it; their byte counts are live. */
  readonly connections = new Set<Side>();
  /** Of those, the ones idle in the HTTP mode's keep-alive pool. */
  pooled = 0;
  /** HTTP mode's requests and answers. */
  readonly requests = new RequestStats();
  /** TCP mode's times to connect and to the backend's first byte. */
  readonly connectTimes = new LatencyStats();
  readonly firstByteTimes = new LatencyStats();
  /** The last seconds, for the traffic panel. */
  readonly seconds = new SecondSlots();
  totalConnections = 0;
  connectFailures = 0;
  lastCheck?: CheckResult;
  lastError?: string;
  /** Faults its new connections get; not settings: they last until removed. */
  readonly faults = new BackendFaults();
  /** Bytes of connections already closed; live ones are added at snapshot time. */
  private closedBytesSent = 0;
  private closedBytesReceived = 0;
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

  /** Connections serving a client now (in HTTP mode, a request each): what least connections compares. */
  get busy(): number {
    return this.connections.size - this.pooled;
  }

  get state(): BackendState {
    if (!this.enabled) return this.busy > 0 ? 'draining' : 'disabled';
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

  /** A verdict made elsewhere; returns the new health when it changed. */
  applyHealth(health: Health): Health | undefined {
    return health === this.health ? undefined : this.setHealth(health);
  }

  /** Passive check: a refused connection marks the backend down at once. */
  markDown(error: string): Health | undefined {
    this.lastError = error;
    return this.health === 'down' ? undefined : this.setHealth('down');
  }

  recordConnectFailure(error: string): void {
    this.connectFailures++;
    this.lastError = error;
  }

  recordClosed(side: Side): void {
    this.connections.delete(side);
    this.closedBytesSent += side.bytesWritten;
    this.closedBytesReceived += side.bytesRead;
  }

  resetCounters(): void {
    this.totalConnections = this.connections.size;
    this.connectFailures = 0;
    this.lastError = undefined;
    this.requests.reset();
    this.connectTimes.reset();
    this.firstByteTimes.reset();
    // Live connections keep counting from their sockets, so offset them to start from zero.
    this.closedBytesSent = 0;
    this.closedBytesReceived = 0;
    for (const side of this.connections) {
      this.closedBytesSent -= side.bytesWritten;
      this.closedBytesReceived -= side.bytesRead;
    }
  }

  /** `all`: connections (TCP mode) or requests (HTTP mode) handed to all backends, for the share. */
  snapshot(all: number, mode: Mode = 'tcp'): BackendSnapshot {
    let bytesSent = this.closedBytesSent;
    let bytesReceived = this.closedBytesReceived;
    for (const side of this.connections) {
      bytesSent += side.bytesWritten;
      bytesReceived += side.bytesRead;
    }
    return {
      ...this.spec,
      id: this.id,
      state: this.state,
      health: this.health,
      enabled: this.enabled,
      activeConnections: this.connections.size,
      totalConnections: this.totalConnections,
      sharePercent: all > 0 ? (100 * (mode === 'http' ? this.requests.total : this.totalConnections)) / all : 0,
      bytesSent,
      bytesReceived,
      connectFailures: this.connectFailures,
      lastCheck: this.lastCheck,
      lastError: this.lastError,
      ...(mode === 'http' ? { requests: this.requests.snapshot() } : tcpTimes(this.connectTimes, this.firstByteTimes)),
      ...(this.faults.list.length > 0 ? { faults: this.faults.list.map((fault) => faultSnapshot(fault, mode)) } : {}),
    };
  }

  private setHealth(health: Health): Health {
    this.health = health;
    this.streak = 0;
    return health;
  }
}

function tcpTimes(connect: LatencyStats, firstByte: LatencyStats): Pick<BackendSnapshot, 'connectMs' | 'firstByteMs' | 'connectHistogram' | 'firstByteHistogram'> {
  const connectMs = connect.snapshot();
  const firstByteMs = firstByte.snapshot();
  return {
    ...(connectMs ? { connectMs, connectHistogram: connect.histogram() } : {}),
    ...(firstByteMs ? { firstByteMs, firstByteHistogram: firstByte.histogram() } : {}),
  };
}

/** A copy of `fault`, marked dormant when it does nothing in `mode`. */
function faultSnapshot(fault: Fault, mode: Mode): FaultSnapshot {
  const copy = { ...fault, attributes: { ...fault.attributes } };
  return faultActs(fault, mode) ? copy : { ...copy, dormant: true };
}
