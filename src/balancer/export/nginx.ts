// The setup as nginx's configuration: `stream {}` for TCP mode, `http {}` for HTTP mode.
import { comments, duration, type ExportSetup } from './exportSetup';

const METHOD = { 'round-robin': '', 'least-connections': 'least_conn;', random: 'random;', 'source-hash': 'hash $remote_addr consistent;' } as const;

export function nginxConfig(setup: ExportSetup): string {
  const { health } = setup;
  const http = setup.mode === 'http';
  const address = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Passive checks only: a backend is skipped for a while after `fall` failed attempts (whole seconds).
  const failTimeout = `${health ? Math.max(1, Math.ceil((health.intervalMs * health.fall) / 1000)) : 10}s`;
  const unexpressed = [
    ...(health
      ? [`Open-source nginx has no active health checks: Local LB's ${health.type} checks (every ${duration(health.intervalMs)}${health.type === 'http' ? ` on ${health.path}` : ''}, rise ${health.rise}, fall ${health.fall}) become max_fails=${health.fall} fail_timeout=${failTimeout}: a backend is skipped after ${health.fall} failed attempts, and tried again after ${failTimeout}.`]
      : []),
    ...(!http ? ['TCP mode needs nginx\'s stream module. Where it is a module of its own (Debian: libnginx-mod-stream), load it first: load_module modules/ngx_stream_module.so;'] : []),
    ...(!http && setup.idleTimeoutMs === 0 ? ['No idle timeout in Local LB: proxy_timeout is 1h.'] : []),
    ...(http && setup.sticky ? ['Sticky sessions: open-source nginx has no sticky cookie; hash $remote_addr keeps each client address on one backend instead.'] : []),
  ];
  const server = (backend: ExportSetup['backends'][number]): string =>
    `        server ${address(backend.host, backend.port)} weight=${backend.weight}${health ? ` max_fails=${health.fall} fail_timeout=${failTimeout}` : ''};${backend.name ? `  # ${backend.name}` : ''}`;
  const method = http && setup.sticky && setup.strategy === 'round-robin' ? 'hash $remote_addr consistent;' : METHOD[setup.strategy];
  const upstream = ['    upstream local_lb {', ...(method ? [`        ${method}`] : []), ...setup.backends.map(server), ...(http ? ['        keepalive 64;'] : []), '    }'];
  const listen = `        listen ${address(setup.host, setup.port)};`;
  const body = http
    ? [
        'http {',
        ...upstream,
        '',
        '    server {',
        listen,
        `        client_header_timeout ${duration(setup.requestTimeoutMs)};`,
        '        location / {',
        '            proxy_pass http://local_lb;',
        '            proxy_http_version 1.1;',
        '            proxy_set_header Connection "";',
        '            proxy_set_header Host $http_host;',
        '            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
        '            proxy_set_header X-Forwarded-Host $http_host;',
        '            proxy_set_header X-Forwarded-Proto $scheme;',
        `            proxy_connect_timeout ${duration(setup.connectTimeoutMs)};`,
        `            proxy_read_timeout ${duration(setup.responseTimeoutMs)};`,
        '            proxy_next_upstream error timeout;',
        '        }',
        '    }',
        '}',
      ]
    : [
        'stream {',
        ...upstream,
        '',
        '    server {',
        listen,
        '        proxy_pass local_lb;',
        // Local LB passes each direction's end on by itself (nginx 1.21.4 and later).
        '        proxy_half_close on;',
        `        proxy_connect_timeout ${duration(setup.connectTimeoutMs)};`,
        ...(setup.idleTimeoutMs > 0 ? [`        proxy_timeout ${duration(setup.idleTimeoutMs)};`] : ['        proxy_timeout 1h;']),
        '        proxy_next_upstream on;',
        '    }',
        '}',
      ];
  const header = comments([...setup.header, ...(unexpressed.length > 0 ? ['', 'Not mapped exactly:', ...unexpressed.map((line) => `- ${line}`)] : [])]);
  return `${[header, `worker_processes 1;`, '', 'events {', `    worker_connections ${setup.maxConnections > 0 ? setup.maxConnections : 1024};`, '}', '', ...body].join('\n')}\n`;
}
