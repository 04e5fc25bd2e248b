// The setup as Kubernetes objects: a Service without a selector and the EndpointSlices of its
// backends, for backends that stay outside the cluster.
import { isIP } from 'node:net';
import { comments, type ExportSetup } from './exportSetup';
import { toYaml, type YamlValue } from './yamlText';

const SERVICE = 'local-lb';

export function kubernetesConfig(setup: ExportSetup): string {
  const http = setup.mode === 'http';
  const portName = http ? 'http' : 'tcp';
  const loopback = setup.backends.filter((backend) => backend.host === 'localhost' || /^127\.|^::1$/.test(backend.host));
  const named = setup.backends.filter((backend) => !isIP(backend.host));
  const unexpressed = [
    `Strategy ${setup.strategy}: a Service spreads connections by kube-proxy's rules (random in iptables mode)${setup.strategy === 'source-hash' || setup.sticky ? '; sessionAffinity: ClientIP keeps each client on one backend' : ''}.`,
    ...(setup.backends.some((backend) => backend.weight !== 1) ? ['Weights: a Service has none; give a heavier backend more endpoints or replicas.'] : []),
    ...(setup.health ? ['Health checks: for backends outside the cluster, nothing checks them; once they run as a Deployment, give its Pods a readinessProbe instead.'] : []),
    ...(loopback.length > 0 ? [`${loopback.map((backend) => backend.id).join(', ')}: a loopback address means the Pod itself inside a cluster, and Kubernetes refuses it in an EndpointSlice; put this machine's address, as the cluster reaches it, in its place.`] : []),
    ...(named.length > 0 ? [`${named.map((backend) => backend.id).join(', ')}: an EndpointSlice takes addresses, not host names; use an ExternalName Service for a single named host.`] : []),
    'When the backends become a Deployment: delete the EndpointSlices and give the Service a selector matching its Pods\' labels.',
  ];
  // An EndpointSlice has one port and one address family.
  const groups = new Map<string, { port: number; family: 'IPv4' | 'IPv6'; hosts: string[] }>();
  for (const { port, host } of setup.backends) {
    const family = isIP(host) === 6 ? 'IPv6' : 'IPv4';
    const group = groups.get(`${port}/${family}`) ?? { port, family, hosts: [] };
    group.hosts.push(host);
    groups.set(`${port}/${family}`, group);
  }
  const service: YamlValue = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: SERVICE, labels: { 'app.kubernetes.io/managed-by': 'local-lb-export' } },
    spec: {
      type: 'ClusterIP',
      ...(setup.strategy === 'source-hash' || setup.sticky ? { sessionAffinity: 'ClientIP' } : {}),
      ports: [{ name: portName, protocol: 'TCP', port: setup.port, targetPort: setup.backends[0]?.port ?? setup.port }],
    },
  };
  const slices: YamlValue[] = [...groups.values()].map(({ port, family, hosts }, i) => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${SERVICE}-${i + 1}`, labels: { 'kubernetes.io/service-name': SERVICE, 'app.kubernetes.io/managed-by': 'local-lb-export' } },
    addressType: family,
    ports: [{ name: portName, protocol: 'TCP', port }],
    endpoints: hosts.map((host) => ({ addresses: [host], conditions: { ready: true } })),
  }));
  const header = comments([...setup.header, '', 'Not mapped exactly:', ...unexpressed.map((line) => `- ${line}`)]);
  return `${header}\n${[service, ...slices].map((object) => toYaml(object)).join('\n---\n')}\n`;
}
