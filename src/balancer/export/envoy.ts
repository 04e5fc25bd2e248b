// The setup as Envoy's static configuration (YAML, v3 API): a listener and a cluster per pool.
import { duration, headerComment, type ExportPool, type ExportSetup } from './exportSetup';
import { toYaml, type YamlValue } from './yamlText';

const LB_POLICY = { 'round-robin': 'ROUND_ROBIN', 'least-connections': 'LEAST_REQUEST', random: 'RANDOM', 'source-hash': 'RING_HASH' } as const;
const IP = /^[0-9.]+$|:/;

const socketAddress = (address: string, port: number): YamlValue => ({ socket_address: { address, port_value: port } });
const hashPolicy: YamlValue = [{ source_ip: { enabled: true } }];

export function envoyConfig(setup: ExportSetup): string {
  const config: YamlValue = {
    static_resources: {
      listeners: setup.pools.map(listener),
      clusters: setup.pools.map(cluster),
    },
  };
  return `${headerComment(setup, notes)}\n${toYaml(config)}\n`;
}

function notes({ mode, sticky, health }: ExportPool): string[] {
  return [
    ...(mode === 'http' && sticky ? ['Sticky sessions: the cluster hashes the client address (RING_HASH) instead of Local LB\'s cookie.'] : []),
    ...(health && health.type === 'http' ? ['Health: Local LB takes any 2xx or 3xx answer; Envoy takes 200 to 399 as well (expected_statuses).'] : []),
  ];
}

const bySource = (pool: ExportPool): boolean => pool.strategy === 'source-hash' || (pool.mode === 'http' && pool.sticky);

function listener(pool: ExportPool): YamlValue {
  const http = pool.mode === 'http';
  const clusterName = `${pool.key}_backends`;
  const filter: YamlValue = http
    ? {
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
          stat_prefix: pool.key,
          request_headers_timeout: duration(pool.requestTimeoutMs),
          use_remote_address: true,
          route_config: {
            virtual_hosts: [
              {
                name: pool.key,
                domains: ['*'],
                routes: [{ match: { prefix: '/' }, route: { cluster: clusterName, timeout: duration(pool.responseTimeoutMs), ...(bySource(pool) ? { hash_policy: hashPolicy } : {}) } }],
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
          stat_prefix: pool.key,
          cluster: clusterName,
          ...(pool.idleTimeoutMs > 0 ? { idle_timeout: duration(pool.idleTimeoutMs) } : {}),
          ...(bySource(pool) ? { hash_policy: hashPolicy } : {}),
        },
      };
  return { name: pool.key, address: socketAddress(pool.host, pool.port), filter_chains: [{ filters: [filter] }] };
}

function cluster(pool: ExportPool): YamlValue {
  const { health } = pool;
  const clusterName = `${pool.key}_backends`;
  return {
    name: clusterName,
    connect_timeout: duration(pool.connectTimeoutMs),
    type: pool.backends.every((backend) => IP.test(backend.host)) ? 'STATIC' : 'STRICT_DNS',
    lb_policy: bySource(pool) ? 'RING_HASH' : LB_POLICY[pool.strategy],
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
      cluster_name: clusterName,
      endpoints: [{ lb_endpoints: pool.backends.map((backend) => ({ endpoint: { address: socketAddress(backend.host, backend.port) }, load_balancing_weight: backend.weight })) }],
    },
  };
}
