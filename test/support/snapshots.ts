// Statistics snapshots for tests of what is computed from them.
import type { BackendSnapshot, FrontendSnapshot } from '../../src/balancer';

/** An up backend on 127.0.0.1:`port` with zero counts, plus `changes`. */
export function backendSnapshot(port: number, changes: Partial<BackendSnapshot> = {}): BackendSnapshot {
  return {
    id: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    state: 'up',
    health: 'up',
    enabled: true,
    activeConnections: 0,
    totalConnections: 0,
    sharePercent: 0,
    bytesSent: 0,
    bytesReceived: 0,
    connectFailures: 0,
    ...changes,
  };
}

/** A listening frontend on 127.0.0.1:8080 with zero counts, plus `changes`. */
export function frontendSnapshot(changes: Partial<FrontendSnapshot> = {}): FrontendSnapshot {
  return {
    host: '127.0.0.1',
    port: 8080,
    listening: true,
    strategy: 'round-robin',
    mode: 'tcp',
    sticky: false,
    activeConnections: 0,
    totalConnections: 0,
    rejectedConnections: 0,
    rejectedBy: { noBackend: 0, limit: 0, descriptors: 0 },
    bytesIn: 0,
    bytesOut: 0,
    ...changes,
  };
}
