// Statistics of several balancers serving one port (one per process) added up into one snapshot.
import { addRequestStats } from './statistics/requestStats';
import { addHistograms, percentilesOf } from './statistics/histogram';
import { REJECT_REASONS, type BackendSnapshot, type BalancerSnapshot } from './types';

/**
 * Adds the counters of `others` to those of `main`. `main` is the balancer that runs the health
 * checks, so states, checks and the listening address come from it; a backend only `main` knows
 * (the others have not caught up with a change yet) keeps its own counters.
 */
export function mergeSnapshots(main: BalancerSnapshot, others: readonly BalancerSnapshot[]): BalancerSnapshot {
  const frontend = { ...main.frontend, rejectedBy: { ...main.frontend.rejectedBy } };
  const backends = main.backends.map((backend) => ({ ...backend }));
  const byId = new Map(backends.map((backend) => [backend.id, backend]));
  for (const other of others) {
    frontend.activeConnections += other.frontend.activeConnections;
    frontend.totalConnections += other.frontend.totalConnections;
    frontend.rejectedConnections += other.frontend.rejectedConnections;
    for (const reason of REJECT_REASONS) frontend.rejectedBy[reason] += other.frontend.rejectedBy[reason];
    frontend.bytesIn += other.frontend.bytesIn;
    frontend.bytesOut += other.frontend.bytesOut;
    if (frontend.requests && other.frontend.requests) frontend.requests = addRequestStats(frontend.requests, other.frontend.requests);
    for (const backend of other.backends) {
      const sum = byId.get(backend.id);
      if (sum) addCounters(sum, backend);
    }
  }
  // In HTTP mode shares are of requests.
  const counted = (backend: BackendSnapshot): number => backend.requests?.total ?? backend.totalConnections;
  const all = backends.reduce((total, backend) => total + counted(backend), 0);
  for (const backend of backends) backend.sharePercent = all > 0 ? (100 * counted(backend)) / all : 0;
  return { frontend, backends };
}

function addCounters(sum: BackendSnapshot, other: BackendSnapshot): void {
  sum.activeConnections += other.activeConnections;
  sum.totalConnections += other.totalConnections;
  sum.bytesSent += other.bytesSent;
  sum.bytesReceived += other.bytesReceived;
  sum.connectFailures += other.connectFailures;
  sum.lastError ??= other.lastError;
  if (sum.requests && other.requests) sum.requests = addRequestStats(sum.requests, other.requests);
  for (const [times, histogram] of TCP_TIMES) {
    const theirs = other[histogram];
    if (!theirs) continue;
    const added = (sum[histogram] = sum[histogram] ? addHistograms(sum[histogram], theirs) : theirs);
    sum[times] = percentilesOf(added);
  }
}

/** TCP mode's times, each with the histogram it is read from. */
const TCP_TIMES = [
  ['connectMs', 'connectHistogram'],
  ['firstByteMs', 'firstByteHistogram'],
] as const;
