// The setup as Kubernetes objects: per pool, a Service without a selector and the EndpointSlices of
// its backends, for backends that stay outside the cluster.
import { isIP } from 'node:net';
import { ConfigError } from '../errors';
import { headerComment, type ExportPool, type ExportSetup } from './exportSetup';
import { toYaml, type YamlValue } from './yamlText';

export function kubernetesConfig(setup: ExportSetup): string {
  const names = new Map<string, string>();
  const objects = setup.pools.flatMap((pool) => {
    const service = serviceName(pool.name);
    const other = names.get(service);
    if (other !== undefined) throw new ConfigError(`Pools "${other}" and "${pool.name}" would both be the Service ${service}: Kubernetes names are lower case, with "-" for "_"; rename one.`);
    names.set(service, pool.name);
    return poolObjects(pool, service);
  });
  return `${headerComment(setup, notes)}\n${objects.map((object) => toYaml(object)).join('\n---\n')}\n`;
}

/** `local-lb` for the pool `default`, else `local-lb-NAME` as a DNS label. */
function serviceName(pool: string): string {
  return pool === 'default' ? 'local-lb' : `local-lb-${pool.toLowerCase().replace(/_/g, '-').replace(/-+$/, '')}`;
}

function notes(pool: ExportPool): string[] {
  const loopback = pool.backends.filter((backend) => backend.host === 'localhost' || /^127\.|^::1$/.test(backend.host));
  const named = pool.backends.filter((backend) => !isIP(backend.host));
  return [
    `Strategy ${pool.strategy}: a Service spreads connections by kube-proxy's rules (random in iptables mode)${pool.strategy === 'source-hash' || pool.sticky ? '; sessionAffinity: ClientIP keeps each client on one backend' : ''}.`,
    ...(pool.backends.some((backend) => backend.weight !== 1) ? ['Weights: a Service has none; give a heavier backend more endpoints or replicas.'] : []),
    ...(pool.health ? ['Health checks: for backends outside the cluster, nothing checks them; once they run as a Deployment, give its Pods a readinessProbe instead.'] : []),
    ...(loopback.length > 0 ? [`${loopback.map((backend) => backend.id).join(', ')}: a loopback address means the Pod itself inside a cluster, and Kubernetes refuses it in an EndpointSlice; put this machine's address, as the cluster reaches it, in its place.`] : []),
    ...(named.length > 0 ? [`${named.map((backend) => backend.id).join(', ')}: an EndpointSlice takes addresses, not host names; use an ExternalName Service for a single named host.`] : []),
    'When the backends become a Deployment: delete the EndpointSlices and give the Service a selector matching its Pods\' labels.',
  ];
}

function poolObjects(pool: ExportPool, service: string): YamlValue[] {
  const portName = pool.mode === 'http' ? 'http' : 'tcp';
  // An EndpointSlice has one port and one address family.
  const groups = new Map<string, { port: number; family: 'IPv4' | 'IPv6'; hosts: string[] }>();
  for (const { port, host } of pool.backends) {
    const family = isIP(host) === 6 ? 'IPv6' : 'IPv4';
    const group = groups.get(`${port}/${family}`) ?? { port, family, hosts: [] };
    group.hosts.push(host);
    groups.set(`${port}/${family}`, group);
  }
  const serviceObject: YamlValue = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service, labels: { 'app.kubernetes.io/managed-by': 'local-lb-export' } },
    spec: {
      type: 'ClusterIP',
      ...(pool.strategy === 'source-hash' || pool.sticky ? { sessionAffinity: 'ClientIP' } : {}),
      ports: [{ name: portName, protocol: 'TCP', port: pool.port, targetPort: pool.backends[0]?.port ?? pool.port }],
    },
  };
  const slices: YamlValue[] = [...groups.values()].map(({ port, family, hosts }, i) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-${i + 1}`, labels: { 'kubernetes.io/service-name': service, 'app.kubernetes.io/managed-by': 'local-lb-export' } },
    addressType: family,
    ports: [{ name: portName, protocol: 'TCP', port }],
    endpoints: hosts.map((host) => ({ addresses: [host], conditions: { ready: true } })),
  }));
  return [serviceObject, ...slices];
}
