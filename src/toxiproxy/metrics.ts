// `GET /metrics`: toxiproxy's proxy metrics in Prometheus text, from each proxy's pool's counters
// (bytes of connections closed): received from one side and sent to the other, per direction.
import type { ProxyCounters } from './proxies';

const FAMILIES = [
  { name: 'toxiproxy_proxy_received_bytes_total', help: 'Bytes received on a proxy link in a direction (upstream: from clients; downstream: from the upstream).', upstream: 'fromClient', downstream: 'fromBackend' },
  { name: 'toxiproxy_proxy_sent_bytes_total', help: 'Bytes sent on a proxy link in a direction (upstream: to the upstream; downstream: to clients).', upstream: 'toBackend', downstream: 'toClient' },
] as const;

export function proxyMetrics(proxies: readonly ProxyCounters[]): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} counter`);
    for (const counters of proxies) {
      for (const direction of ['upstream', 'downstream'] as const) {
        const labels = `direction="${direction}",listener="${escape(counters.listener)}",proxy="${escape(counters.proxy)}",upstream="${escape(counters.upstream)}"`;
        lines.push(`${family.name}{${labels}} ${counters[family[direction]]}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
