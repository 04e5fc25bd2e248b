// The setup as Envoy's static configuration (YAML, v3 API): a listener and a cluster.
import { comments, duration, type ExportSetup } from './exportSetup';
import { toYaml, type YamlValue } from './yamlText';

const LB_POLICY = { 'round-robin': 'ROUND_ROBIN', 'least-connections': 'LEAST_REQUEST', random: 'RANDOM', 'source-hash': 'RING_HASH' } as const;
const IP = /^[0-9.]+$|:/;

export function envoyConfig(setup: ExportSetup): string {
  const { health } = setup;
  const http = setup.mode === 'http';
  const bySource = setup.strategy === 'source-hash' || (http && setup.sticky);
  const unexpressed = [
    ...(http && setup.sticky ? ['Sticky sessions: the cluster hashes the client address (RING_HASH) instead of Local LB\'s cookie.'] : []),
    ...(health && health.type === 'http' ? ['Health: Local LB takes any 2xx or 3xx answer; Envoy takes 200 to 399 as well (expected_statuses).'] : []),
  ];
  const socketAddress = (address: string, port: number): YamlValue => ({ socket_address: { address, port_value: port } });
  const hashPolicy: YamlValue = [{ source_ip: { enabled: true } }];
  const filter: YamlValue = http
    ? {
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
          stat_prefix: 'local_lb',
          request_headers_timeout: duration(setup.requestTimeoutMs),
          use_remote_address: true,
          route_config: {
            virtual_hosts: [
              {
                name: 'local_lb',
                domains: ['*'],
                routes: [{ match: { prefix: '/' }, route: { cluster: 'local_lb_backends', timeout: duration(setup.responseTimeoutMs), ...(bySource ? { hash_policy: hashPolicy } : {}) } }],
              },
            ],
          },
          http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
        },
      }
    : {
        name: 'envoy.filters.network.tcp_proxy',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
          stat_prefix: 'local_lb',
          cluster: 'local_lb_backends',
          ...(setup.idleTimeoutMs > 0 ? { idle_timeout: duration(setup.idleTimeoutMs) } : {}),
          ...(bySource ? { hash_policy: hashPolicy } : {}),
        },
      };
  const config: YamlValue = {
    static_resources: {
      listeners: [{ name: 'local_lb', address: socketAddress(setup.host, setup.port), filter_chains: [{ filters: [filter] }] }],
      clusters: [
        {
          name: 'local_lb_backends',
          connect_timeout: duration(setup.connectTimeoutMs),
          type: setup.backends.every((backend) => IP.test(backend.host)) ? 'STATIC' : 'STRICT_DNS',
          lb_policy: bySource ? 'RING_HASH' : LB_POLICY[setup.strategy],
          ...(health
            ? {
                health_checks: [
                  {
                    timeout: duration(health.timeoutMs),
                    interval: duration(health.intervalMs),
                    healthy_threshold: health.rise,
                    unhealthy_threshold: health.fall,
                    ...(health.type === 'http' ? { http_health_check: { path: health.path, expected_statuses: [{ start: 200, end: 400 }] } } : { tcp_health_check: {} }),
                  },
                ],
              }
            : {}),
          load_assignment: {
            cluster_name: 'local_lb_backends',
            endpoints: [{ lb_endpoints: setup.backends.map((backend) => ({ endpoint: { address: socketAddress(backend.host, backend.port) }, load_balancing_weight: backend.weight })) }],
          },
        },
      ],
    },
  };
  const header = comments([...setup.header, ...(unexpressed.length > 0 ? ['', 'Not mapped exactly:', ...unexpressed.map((line) => `- ${line}`)] : [])]);
  return `${header}\n${toYaml(config)}\n`;
}
