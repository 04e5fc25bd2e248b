// The CLI's line per connection, like the Go original's, for as long as it stays readable and cheap.
import type { LoadBalancer } from '../balancer';
import { log, logClosed, logOpened } from './log';

/** Above this many new connections in a second, they are counted instead of logged one by one. */
export const CONNECTION_LINES_PER_SECOND = 100;

/**
 * Logs `Handling …` and `Finished …` for each connection up to the limit a second. Past it, the
 * details are no longer even asked of the balancer (under load they cost a visible share of its
 * throughput: docs/benchmarks.md) and one line a second says how many connections went unlogged;
 * lines return in the first second below the limit.
 */
export function logConnections(balancer: LoadBalancer, limit = CONNECTION_LINES_PER_SECOND): void {
  let logged = 0;
  let muted = false;
  const opened: typeof logOpened = (connection) => {
    logOpened(connection);
    if (++logged < limit) return;
    muted = true;
    balancer.off('connectionOpened', opened).off('connectionClosed', logClosed);
  };
  const follow = (): void => {
    balancer.on('connectionOpened', opened).on('connectionClosed', logClosed);
  };
  const connections = (): number => balancer.snapshot().backends.reduce((sum, backend) => sum + backend.totalConnections, 0);
  let counted = connections();
  setInterval(() => {
    const total = connections();
    const fresh = total - counted;
    const unlogged = fresh - logged;
    counted = total;
    logged = 0;
    if (!muted) return;
    if (unlogged > 0) log(`${unlogged} more connections in the last second, not logged one by one (over ${limit} a second)`);
    if (fresh < limit) {
      muted = false;
      follow();
    }
  }, 1000).unref();
  follow();
}
