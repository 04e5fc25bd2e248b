// What the exports write, read as text and as YAML: every setting mapped or named as not mapped,
// and names and paths that would add a line or a directive escaped or refused.
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { exportConfig, type BalancerOptions, type ExportTarget } from '../../src/balancer';

const NOW = new Date('2026-12-02T12:00:00Z');
const BASE: BalancerOptions = {
  port: 8080,
  backends: [
    { host: '127.0.0.1', port: 8101, weight: 3 },
    { host: '127.0.0.1', port: 8102, name: 'api' },
  ],
  health: { type: 'http', path: '/health', intervalMs: 2000, timeoutMs: 1000, rise: 2, fall: 3 },
};
const write = (target: ExportTarget, options: Partial<BalancerOptions> = {}): string => exportConfig(target, [{ name: 'default', options: { ...BASE, ...options } }], '0.1.0', NOW);
/** Pools `web` (TCP, on 8080) and `api` (HTTP, on 9090). */
const writeTwo = (target: ExportTarget): string =>
  exportConfig(target, [{ name: 'web', options: BASE }, { name: 'api', options: { port: 9090, mode: 'http', backends: [{ host: '127.0.0.1', port: 9101 }] } }], '0.1.0', NOW);
type Json = Record<string, unknown> & { [key: string]: unknown };
const yamlOf = (text: string): Json[] => parseAllDocuments(text).map((document) => document.toJS() as Json);

describe('export: what is written', () => {
  it('each output starts with a comment naming Local LB\'s version and the time', () => {
    for (const target of ['haproxy', 'nginx', 'envoy', 'kubernetes'] as const) {
      assert.equal(write(target).split('\n')[0], `# Written by Local LB 0.1.0 on 2026-12-02T12:00:00.000Z for ${target}, from the balancer's current setup.`);
    }
  });

  it('HAProxy: mode, balance, checks, weights and timeouts as configured', () => {
    const text = write('haproxy', { mode: 'http', strategy: 'least-connections', sticky: true, connectTimeoutMs: 1500 });
    for (const line of [
      '    mode http',
      '    balance leastconn',
      '    option httpchk GET /health',
      '    option forwardfor',
      '    timeout connect 1500ms',
      '    cookie local-lb insert indirect nocache',
      '    default-server inter 2s rise 2 fall 3',
      '    server backend_8101 127.0.0.1:8101 weight 3 check cookie backend_8101',
      '    server api 127.0.0.1:8102 weight 1 check cookie api  # api',
    ]) {
      assert.ok(text.split('\n').includes(line), `${line}\n---\n${text}`);
    }
    assert.match(write('haproxy', { strategy: 'source-hash' }), /^ {4}balance source$/m);
  });

  it('nginx: stream {} in TCP mode, http {} with forwarded headers in HTTP mode, and says it has no active checks', () => {
    const tcp = write('nginx', { strategy: 'source-hash' });
    assert.match(tcp, /^stream \{$/m);
    assert.match(tcp, /^ {8}hash \$remote_addr consistent;$/m);
    assert.match(tcp, /^ {8}server 127\.0\.0\.1:8101 weight=3 max_fails=3 fail_timeout=6s;$/m);
    assert.match(tcp, /^# - TCP mode needs nginx's stream module/m);
    assert.match(tcp, /^# - Open-source nginx has no active health checks/m);
    const http = write('nginx', { mode: 'http', strategy: 'random' });
    assert.match(http, /^http \{$/m);
    assert.match(http, /^ {8}random;$/m);
    assert.match(http, /proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
  });

  it('Envoy: a listener and a cluster with its policy, checks, connect timeout and weighted endpoints', () => {
    const [config] = yamlOf(write('envoy', { strategy: 'least-connections' }));
    const resources = config.static_resources as { listeners: Json[]; clusters: Json[] };
    const [listener] = resources.listeners;
    assert.deepEqual(listener.address, { socket_address: { address: '127.0.0.1', port_value: 8080 } });
    const filter = ((listener.filter_chains as Json[])[0].filters as Json[])[0];
    assert.equal(filter.name, 'envoy.filters.network.tcp_proxy');
    assert.equal((filter.typed_config as Json)['@type'], 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy');
    const [cluster] = resources.clusters;
    assert.deepEqual([cluster.name, cluster.lb_policy, cluster.connect_timeout, cluster.type], ['local_lb_backends', 'LEAST_REQUEST', '2s', 'STATIC']);
    const [check] = cluster.health_checks as Json[];
    assert.deepEqual([check.interval, check.timeout, check.healthy_threshold, check.unhealthy_threshold, (check.http_health_check as Json).path], ['2s', '1s', 2, 3, '/health']);
    const endpoints = ((cluster.load_assignment as Json).endpoints as Json[])[0].lb_endpoints as Json[];
    assert.deepEqual(endpoints.map((endpoint) => endpoint.load_balancing_weight), [3, 1]);
    const [http] = yamlOf(write('envoy', { mode: 'http' }));
    const manager = ((((http.static_resources as Json).listeners as Json[])[0].filter_chains as Json[])[0].filters as Json[])[0];
    assert.equal(manager.name, 'envoy.filters.network.http_connection_manager');
  });

  it('Kubernetes: a Service without a selector and an EndpointSlice per port, saying what to change', () => {
    const text = write('kubernetes', { backends: [{ host: '10.0.0.5', port: 8101 }, { host: '10.0.0.6', port: 8101 }, { host: '10.0.0.7', port: 9000 }] });
    const [service, ...slices] = yamlOf(text);
    assert.deepEqual([service.apiVersion, service.kind, (service.metadata as Json).name], ['v1', 'Service', 'local-lb']);
    assert.equal((service.spec as Json).selector, undefined);
    assert.deepEqual(slices.map((slice) => [slice.apiVersion, slice.kind, slice.addressType, ((slice.metadata as Json).labels as Json)['kubernetes.io/service-name']]), [
      ['discovery.k8s.io/v1', 'EndpointSlice', 'IPv4', 'local-lb'],
      ['discovery.k8s.io/v1', 'EndpointSlice', 'IPv4', 'local-lb'],
    ]);
    assert.deepEqual((slices[0].endpoints as Json[]).map((endpoint) => (endpoint.addresses as string[])[0]), ['10.0.0.5', '10.0.0.6']);
    assert.match(text, /^# - When the backends become a Deployment: delete the EndpointSlices and give the Service a selector/m);
    assert.match(write('kubernetes'), /127\.0\.0\.1:8101, 127\.0\.0\.1:8102: a loopback address means the Pod itself/);
  });

  it('a backend name that would add a line becomes one identifier, and stays inside its comment', () => {
    const evil = 'a\n  server evil 10.0.0.1:80';
    for (const target of ['haproxy', 'nginx', 'envoy', 'kubernetes'] as const) {
      const text = write(target, { backends: [{ host: '127.0.0.1', port: 8101, name: evil }] });
      assert.ok(!text.split('\n').some((line) => /^\s*server evil/.test(line)), `${target}:\n${text}`);
    }
    assert.match(write('haproxy', { backends: [{ host: '127.0.0.1', port: 8101, name: evil }] }), /^ {4}server a___server_evil_10\.0\.0\.1_80 127\.0\.0\.1:8101 weight 1 check {2}# a {3}server evil 10\.0\.0\.1:80$/m);
  });

  it('a health path with ; or { is refused, naming it', () => {
    for (const path of ['/health;drop', '/x{y}', '/a b', '/ok\nhttp-check send']) {
      assert.throws(() => write('haproxy', { health: { ...BASE.health as object, path } }), (error: Error) => error.message.startsWith(`Cannot export the health check path ${JSON.stringify(path)}`));
    }
  });

  it('what a target cannot express is listed, not dropped', () => {
    assert.match(write('nginx', { mode: 'http', sticky: true }), /^# - Sticky sessions: open-source nginx has no sticky cookie/m);
    assert.match(write('kubernetes'), /^# - Weights: a Service has none/m);
    assert.match(write('kubernetes'), /^# - Health checks: for backends outside the cluster, nothing checks them/m);
  });

  it('HAProxy: a frontend and a backend section per pool, each with its own mode and port', () => {
    const lines = writeTwo('haproxy').split('\n');
    const section = (name: string): string[] => lines.slice(lines.indexOf(name) + 1, lines.indexOf('', lines.indexOf(name)));
    assert.deepEqual(section('frontend local_lb_web').filter((line) => /mode|bind|default_backend/.test(line)), ['    mode tcp', '    bind 127.0.0.1:8080', '    default_backend local_lb_web_backends']);
    assert.deepEqual(section('frontend local_lb_api').filter((line) => /mode|bind|default_backend/.test(line)), ['    mode http', '    bind 127.0.0.1:9090', '    default_backend local_lb_api_backends']);
    assert.ok(section('backend local_lb_api_backends').includes('    server backend_9101 127.0.0.1:9101 weight 1 check'));
  });

  it('nginx: the TCP pools in stream {}, the HTTP pools in http {}, an upstream and a server each', () => {
    const text = writeTwo('nginx');
    assert.match(text, /^stream \{\n {4}# Pool web\n {4}upstream local_lb_web \{$/m);
    assert.match(text, /^http \{\n {4}# Pool api\n {4}upstream local_lb_api \{$/m);
    assert.match(text, /^ {8}proxy_pass local_lb_web;$/m);
    assert.match(text, /^ {12}proxy_pass http:\/\/local_lb_api;$/m);
  });

  it('Envoy: a listener and a cluster per pool', () => {
    const [config] = yamlOf(writeTwo('envoy'));
    const resources = config.static_resources as { listeners: Json[]; clusters: Json[] };
    assert.deepEqual(resources.listeners.map((listener) => [listener.name, ((listener.address as Json).socket_address as Json).port_value]), [['local_lb_web', 8080], ['local_lb_api', 9090]]);
    assert.deepEqual(resources.clusters.map((cluster) => cluster.name), ['local_lb_web_backends', 'local_lb_api_backends']);
  });

  it('Kubernetes: a Service per pool, named for it', () => {
    const services = yamlOf(writeTwo('kubernetes')).filter((object) => object.kind === 'Service');
    assert.deepEqual(services.map((service) => [(service.metadata as Json).name, ((service.spec as Json).ports as Json[])[0].port]), [['local-lb-web', 8080], ['local-lb-api', 9090]]);
  });

  it('with several pools, what a target cannot express is named with its pool', () => {
    assert.match(writeTwo('nginx'), /^# - Pool web: TCP mode needs nginx's stream module/m);
    assert.match(writeTwo('haproxy'), /^# - Pool api: Local LB also sends X-Forwarded-Host/m);
  });

  it('Kubernetes: two pools whose names make one Service name are refused, naming both', () => {
    const pools = [{ name: 'my_api', options: BASE }, { name: 'my-api', options: { ...BASE, port: 9090 } }];
    assert.throws(() => exportConfig('kubernetes', pools, '0.1.0', NOW), /^ConfigError: Pools "my_api" and "my-api" would both be the Service local-lb-my-api/);
  });
});
