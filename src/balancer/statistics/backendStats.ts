// What is counted of one backend: its open connections and bytes, connections made and failed,
// TCP mode's times, HTTP mode's requests, and its last seconds for the traffic panel. Owned here,
// changed only through these methods.
import type { Side } from '../dataPath';
import type { BackendSnapshot, Mode } from '../types';
import { LatencyStats } from './histogram';
import { RequestStats } from './requestStats';
import { SecondSlots } from './secondSlots';

type Counted = Pick<
  BackendSnapshot,
  'activeConnections' | 'totalConnections' | 'bytesSent' | 'bytesReceived' | 'connectFailures' | 'requests' | 'connectMs' | 'firstByteMs' | 'connectHistogram' | 'firstByteHistogram'
>;

export class BackendStats {
  /** The last seconds, for the traffic panel: its recorder writes them. */
  readonly seconds = new SecondSlots();
  /** This backend's sides of the connections open to it; their byte counts are live. */
  private readonly open = new Set<Side>();
  /** Of those, the ones idle in HTTP mode's keep-alive pool. */
  private idle = 0;
  private total = 0;
  private failures = 0;
  /** HTTP mode's requests and answers. */
  private readonly requests = new RequestStats();
  /** TCP mode's times to connect and to the backend's first byte. */
  private readonly connectTimes = new LatencyStats();
  private readonly firstByteTimes = new LatencyStats();
  /** Bytes of connections already closed; live ones are added at snapshot time. */
  private closedBytesSent = 0;
  private closedBytesReceived = 0;

  /** Connections open to it. */
  get active(): number {
    return this.open.size;
  }

  /** Connections serving a client now (in HTTP mode, a request each): what least connections compares, and what a drain waits for. */
  get busy(): number {
    return this.open.size - this.idle;
  }

  /** Connections (TCP mode) or requests (HTTP mode) it was handed: what its share is of. */
  handled(mode: Mode): number {
    return mode === 'http' ? this.requests.total : this.total;
  }

  /** A connection to it opened; `connectMs`, how long connecting took, when it is timed (TCP mode). */
  opened(side: Side, connectMs?: number): void {
    this.open.add(side);
    this.total++;
    if (connectMs !== undefined) this.connectTimes.record(connectMs);
  }

  closed(side: Side): void {
    this.open.delete(side);
    this.closedBytesSent += side.bytesWritten;
    this.closedBytesReceived += side.bytesRead;
  }

  connectFailed(): void {
    this.failures++;
  }

  /** TCP mode: its first bytes reached the client `ms` after connecting began. */
  firstByte(ms: number): void {
    this.firstByteTimes.record(ms);
  }

  /** HTTP mode: a kept connection went idle in the keep-alive pool (`true`), or was taken out of it. */
  pooled(idle: boolean): void {
    this.idle += idle ? 1 : -1;
  }

  /** HTTP mode: a request was sent to it; in progress until `requestEnded`. */
  requestSent(): void {
    this.requests.total++;
    this.requests.active++;
  }

  /** HTTP mode: a request a fault on it answered or cut: counted as its own, never in progress. */
  requestFaulted(): void {
    this.requests.total++;
  }

  /** HTTP mode: a request sent again on a fresh connection, after a stale kept one: it counts once. */
  requestResent(): void {
    this.requests.total--;
  }

  /** HTTP mode: its answer's head came `ms` after the request was sent (none for an answer made for it). */
  answered(status: number, ms?: number): void {
    this.requests.answered(status, ms);
  }

  /** HTTP mode: a request's answer ended, or the request was given up. */
  requestEnded(): void {
    this.requests.active--;
  }

  /** Every counter back to zero; open connections stay counted as open, their bytes from now on. */
  reset(): void {
    this.total = this.open.size;
    this.failures = 0;
    this.requests.reset();
    this.connectTimes.reset();
    this.firstByteTimes.reset();
    this.closedBytesSent = 0;
    this.closedBytesReceived = 0;
    for (const side of this.open) {
      this.closedBytesSent -= side.bytesWritten;
      this.closedBytesReceived -= side.bytesRead;
    }
  }

  snapshot(mode: Mode): Counted {
    let bytesSent = this.closedBytesSent;
    let bytesReceived = this.closedBytesReceived;
    for (const side of this.open) {
      bytesSent += side.bytesWritten;
      bytesReceived += side.bytesRead;
    }
    const counted: Counted = { activeConnections: this.open.size, totalConnections: this.total, bytesSent, bytesReceived, connectFailures: this.failures };
    if (mode === 'http') return { ...counted, requests: this.requests.snapshot() };
    const connectMs = this.connectTimes.snapshot();
    const firstByteMs = this.firstByteTimes.snapshot();
    return {
      ...counted,
      ...(connectMs ? { connectMs, connectHistogram: this.connectTimes.histogram() } : {}),
      ...(firstByteMs ? { firstByteMs, firstByteHistogram: this.firstByteTimes.histogram() } : {}),
    };
  }
}
