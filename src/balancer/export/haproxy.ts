// The setup as HAProxy's configuration (haproxy.cfg).
import { comments, duration, type ExportSetup } from './exportSetup';

const BALANCE = { 'round-robin': 'roundrobin', 'least-connections': 'leastconn', random: 'random', 'source-hash': 'source' } as const;
/** HAProxy needs client and server timeouts; with no idle timeout, connections may stay this long. */
const NO_IDLE_TIMEOUT = '1h';

export function haproxyConfig(setup: ExportSetup): string {
  const { mode, health } = setup;
  const http = mode === 'http';
  const idle = setup.idleTimeoutMs > 0 ? duration(setup.idleTimeoutMs) : NO_IDLE_TIMEOUT;
  const unexpressed = [
    ...(setup.idleTimeoutMs === 0 ? [`No idle timeout in Local LB: timeout client${http ? '' : ' and timeout server'} ${http ? 'is' : 'are'} ${NO_IDLE_TIMEOUT}.`] : []),
    ...(http ? ['Local LB also sends X-Forwarded-Host and X-Forwarded-Proto: add http-request set-header lines if your app reads them.'] : []),
  ];
  const lines = [
    comments([...setup.header, ...(unexpressed.length > 0 ? ['', 'Not mapped exactly:', ...unexpressed.map((line) => `- ${line}`)] : [])]),
    'global',
    `    maxconn ${setup.maxConnections > 0 ? setup.maxConnections : 4096}`,
    '',
    'defaults',
    `    mode ${mode}`,
    `    timeout connect ${duration(setup.connectTimeoutMs)}`,
    `    timeout client ${idle}`,
    `    timeout server ${http ? duration(setup.responseTimeoutMs) : idle}`,
    ...(http ? [`    timeout http-request ${duration(setup.requestTimeoutMs)}`, `    timeout http-keep-alive ${duration(setup.requestTimeoutMs)}`, '    option forwardfor'] : []),
    ...(setup.idleTimeoutMs > 0 ? [`    timeout tunnel ${idle}`] : []),
    ...(health ? [`    timeout check ${duration(health.timeoutMs)}`] : []),
    '',
    'frontend local_lb',
    // HAProxy reads the port after the last colon, IPv6 addresses included.
    `    bind ${setup.host}:${setup.port}`,
    ...(setup.maxConnections > 0 ? [`    maxconn ${setup.maxConnections}`] : []),
    '    default_backend local_lb_backends',
    '',
    'backend local_lb_backends',
    `    balance ${BALANCE[setup.strategy]}`,
    ...(health && health.type === 'http' ? [`    option httpchk GET ${health.path}`, '    http-check expect rstatus ^[23]'] : []),
    ...(http && setup.sticky ? ['    cookie local-lb insert indirect nocache'] : []),
    ...(health ? [`    default-server inter ${duration(health.intervalMs)} rise ${health.rise} fall ${health.fall}`] : []),
    ...setup.backends.map((backend) => {
      const cookie = http && setup.sticky ? ` cookie ${backend.key}` : '';
      return `    server ${backend.key} ${backend.host}:${backend.port} weight ${backend.weight}${health ? ' check' : ''}${cookie}${backend.name ? `  # ${backend.name}` : ''}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
