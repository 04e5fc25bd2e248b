// The CLI's line per connection, like the Go original's (per request in HTTP mode), for as long as
// it stays readable and cheap.
import { closedLine, openedLine, requestLine, type ConnectionClosedInfo, type ConnectionInfo, type LoadBalancer, type RequestInfo } from '../balancer';
import { log } from './log';

/** Above this many new connections (or requests) in a second, they are counted instead of logged one by one. */
export const CONNECTION_LINES_PER_SECOND = 100;

/**
 * Logs `Handling …` and `Finished …` for each connection (`GET / from … to …: 200 in 3 ms` for each
 * request in HTTP mode) up to the limit a second. Past it, the details are no longer even asked of
 * the balancer (under load they cost a visible share of its throughput: docs/benchmarks.md) and one
 * line a second says how many went unlogged; lines return in the first second below the limit.
 * Each line starts with `prefix` (the pool's name when there are several).
 */
export function logConnections(balancer: LoadBalancer, prefix = '', limit = CONNECTION_LINES_PER_SECOND): void {
  const perRequest = balancer.snapshot().frontend.mode === 'http';
  const what = perRequest ? 'requests' : 'connections';
  let logged = 0;
  let muted = false;
  const counted = (): void => {
    if (++logged < limit) return;
    muted = true;
    unfollow();
  };
  const opened = (connection: ConnectionInfo): void => {
    log(prefix + openedLine(connection));
    counted();
  };
  const closed = (connection: ConnectionClosedInfo): void => log(prefix + closedLine(connection));
  const request = (info: RequestInfo): void => {
    log(prefix + requestLine(info));
    counted();
  };
  const follow = (): void => {
    if (perRequest) balancer.on('request', request);
    else balancer.on('connectionOpened', opened).on('connectionClosed', closed);
  };
  const unfollow = (): void => {
    balancer.off('request', request).off('connectionOpened', opened).off('connectionClosed', closed);
  };
  const total = (): number => {
    const { frontend, backends } = balancer.snapshot();
    return perRequest ? (frontend.requests?.total ?? 0) : backends.reduce((sum, backend) => sum + backend.totalConnections, 0);
  };
  let before = total();
  setInterval(() => {
    const now = total();
    const fresh = now - before;
    const unlogged = fresh - logged;
    before = now;
    logged = 0;
    if (!muted) return;
    if (unlogged > 0) log(`${prefix}${unlogged} more ${what} in the last second, not logged one by one (over ${limit} a second)`);
    if (fresh < limit) {
      muted = false;
      follow();
    }
  }, 1000).unref();
  follow();
}
