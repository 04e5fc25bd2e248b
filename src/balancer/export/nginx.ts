// The setup as nginx's configuration: the TCP mode pools in `stream {}`, the HTTP mode ones in
// `http {}`, an upstream and a server per pool.
import { duration, headerComment, type ExportPool, type ExportSetup } from './exportSetup';

const METHOD = { 'round-robin': '', 'least-connections': 'least_conn;', random: 'random;', 'source-hash': 'hash $remote_addr consistent;' } as const;
/** nginx's own limit when no pool sets one. */
const DEFAULT_WORKER_CONNECTIONS = 1024;

const address = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Passive checks only: a backend is skipped for a while after `fall` failed attempts (whole seconds). */
function failTimeout({ health }: ExportPool): string {
  return `${health ? Math.max(1, Math.ceil((health.intervalMs * health.fall) / 1000)) : 10}s`;
}

export function nginxConfig(setup: ExportSetup): string {
  const tcp = setup.pools.filter((pool) => pool.mode === 'tcp');
  const http = setup.pools.filter((pool) => pool.mode === 'http');
  const limits = setup.pools.map((pool) => pool.maxConnections);
  const connections = limits.every((limit) => limit > 0) ? limits.reduce((sum, limit) => sum + limit, 0) : DEFAULT_WORKER_CONNECTIONS;
  const blocks = [
    ...(tcp.length > 0 ? [['stream {', ...tcp.flatMap(streamPool).slice(1), '}']] : []),
    ...(http.length > 0 ? [['http {', ...http.flatMap(httpPool).slice(1), '}']] : []),
  ];
  const lines = [headerComment(setup, notes), 'worker_processes 1;', '', 'events {', `    worker_connections ${connections};`, '}', ...blocks.flatMap((block) => ['', ...block])];
  return `${lines.join('\n')}\n`;
}

function notes(pool: ExportPool): string[] {
  const { health } = pool;
  const http = pool.mode === 'http';
  return [
    ...(health
      ? [`Open-source nginx has no active health checks: Local LB's ${health.type} checks (every ${duration(health.intervalMs)}${health.type === 'http' ? ` on ${health.path}` : ''}, rise ${health.rise}, fall ${health.fall}) become max_fails=${health.fall} fail_timeout=${failTimeout(pool)}: a backend is skipped after ${health.fall} failed attempts, and tried again after ${failTimeout(pool)}.`]
      : []),
    ...(!http ? ['TCP mode needs nginx\'s stream module. Where it is a module of its own (Debian: libnginx-mod-stream), load it first: load_module modules/ngx_stream_module.so;'] : []),
    ...(!http && pool.idleTimeoutMs === 0 ? ['No idle timeout in Local LB: proxy_timeout is 1h.'] : []),
    ...(http && pool.sticky ? ['Sticky sessions: open-source nginx has no sticky cookie; hash $remote_addr keeps each client address on one backend instead.'] : []),
  ];
}

/** The pool's upstream block, after a blank line. */
function upstream(pool: ExportPool): string[] {
  const { health } = pool;
  const http = pool.mode === 'http';
  const method = http && pool.sticky && pool.strategy === 'round-robin' ? 'hash $remote_addr consistent;' : METHOD[pool.strategy];
  const server = (backend: ExportPool['backends'][number]): string =>
    `        server ${address(backend.host, backend.port)} weight=${backend.weight}${health ? ` max_fails=${health.fall} fail_timeout=${failTimeout(pool)}` : ''};${backend.name ? `  # ${backend.name}` : ''}`;
  return ['', `    # Pool ${pool.name}`, `    upstream ${pool.key} {`, ...(method ? [`        ${method}`] : []), ...pool.backends.map(server), ...(http ? ['        keepalive 64;'] : []), '    }'];
}

function httpPool(pool: ExportPool): string[] {
  return [
    ...upstream(pool),
    '',
    '    server {',
    `        listen ${address(pool.host, pool.port)};`,
    `        client_header_timeout ${duration(pool.requestTimeoutMs)};`,
    '        location / {',
    `            proxy_pass http://${pool.key};`,
    '            proxy_http_version 1.1;',
    '            proxy_set_header Connection "";',
    '            proxy_set_header Host $http_host;',
    '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '            proxy_set_header X-Forwarded-Host $http_host;',
    '            proxy_set_header X-Forwarded-Proto $scheme;',
    `            proxy_connect_timeout ${duration(pool.connectTimeoutMs)};`,
    `            proxy_read_timeout ${duration(pool.responseTimeoutMs)};`,
    '            proxy_next_upstream error timeout;',
    '        }',
    '    }',
  ];
}

function streamPool(pool: ExportPool): string[] {
  return [
    ...upstream(pool),
    '',
    '    server {',
    `        listen ${address(pool.host, pool.port)};`,
    `        proxy_pass ${pool.key};`,
    // Local LB passes each direction's end on by itself (nginx 1.21.4 and later).
    '        proxy_half_close on;',
    `        proxy_connect_timeout ${duration(pool.connectTimeoutMs)};`,
    `        proxy_timeout ${pool.idleTimeoutMs > 0 ? duration(pool.idleTimeoutMs) : '1h'};`,
    '        proxy_next_upstream on;',
    '    }',
  ];
}
