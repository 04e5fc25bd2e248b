// The setup as HAProxy's configuration (haproxy.cfg): a frontend and a backend section per pool.
import { duration, headerComment, type ExportPool, type ExportSetup } from './exportSetup';

const BALANCE = { 'round-robin': 'roundrobin', 'least-connections': 'leastconn', random: 'random', 'source-hash': 'source' } as const;
/** HAProxy needs client and server timeouts; with no idle timeout, connections may stay this long. */
const NO_IDLE_TIMEOUT = '1h';
/** HAProxy's own limit when no pool sets one. */
const DEFAULT_MAXCONN = 4096;

export function haproxyConfig(setup: ExportSetup): string {
  const limits = setup.pools.map((pool) => pool.maxConnections);
  const maxconn = limits.every((limit) => limit > 0) ? limits.reduce((sum, limit) => sum + limit, 0) : DEFAULT_MAXCONN;
  const lines = [headerComment(setup, notes), 'global', `    maxconn ${maxconn}`, ...setup.pools.flatMap(sections)];
  return `${lines.join('\n')}\n`;
}

function notes(pool: ExportPool): string[] {
  const http = pool.mode === 'http';
  return [
    ...(pool.idleTimeoutMs === 0 ? [`No idle timeout in Local LB: timeout client${http ? '' : ' and timeout server'} ${http ? 'is' : 'are'} ${NO_IDLE_TIMEOUT}.`] : []),
    ...(http ? ['Local LB also sends X-Forwarded-Host and X-Forwarded-Proto: add http-request set-header lines if your app reads them.'] : []),
  ];
}

/** The pool's frontend and backend, each with its mode and timeouts, so that pools of both modes share a file. */
function sections(pool: ExportPool): string[] {
  const { mode, health } = pool;
  const http = mode === 'http';
  const idle = pool.idleTimeoutMs > 0 ? duration(pool.idleTimeoutMs) : NO_IDLE_TIMEOUT;
  const sticky = http && pool.sticky;
  return [
    '',
    `# Pool ${pool.name}`,
    `frontend ${pool.key}`,
    `    mode ${mode}`,
    // HAProxy reads the port after the last colon, IPv6 addresses included.
    `    bind ${pool.host}:${pool.port}`,
    ...(pool.maxConnections > 0 ? [`    maxconn ${pool.maxConnections}`] : []),
    `    timeout client ${idle}`,
    ...(http ? [`    timeout http-request ${duration(pool.requestTimeoutMs)}`, `    timeout http-keep-alive ${duration(pool.requestTimeoutMs)}`, '    option forwardfor'] : []),
    `    default_backend ${pool.key}_backends`,
    '',
    `backend ${pool.key}_backends`,
    `    mode ${mode}`,
    `    balance ${BALANCE[pool.strategy]}`,
    `    timeout connect ${duration(pool.connectTimeoutMs)}`,
    `    timeout server ${http ? duration(pool.responseTimeoutMs) : idle}`,
    ...(pool.idleTimeoutMs > 0 ? [`    timeout tunnel ${idle}`] : []),
    ...(health ? [`    timeout check ${duration(health.timeoutMs)}`] : []),
    ...(health && health.type === 'http' ? [`    option httpchk GET ${health.path}`, '    http-check expect rstatus ^[23]'] : []),
    ...(sticky ? [`    cookie ${pool.cookie} insert indirect nocache`] : []),
    ...(health ? [`    default-server inter ${duration(health.intervalMs)} rise ${health.rise} fall ${health.fall}`] : []),
    ...pool.backends.map((backend) => {
      const cookie = sticky ? ` cookie ${backend.key}` : '';
      return `    server ${backend.key} ${backend.host}:${backend.port} weight ${backend.weight}${health ? ' check' : ''}${cookie}${backend.name ? `  # ${backend.name}` : ''}`;
    }),
  ];
}
