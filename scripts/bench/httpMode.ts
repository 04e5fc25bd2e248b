// The benchmark of HTTP mode: kept-alive requests against HAProxy's `mode http` over the same
// nginx, Flask in HTTP mode against Local LB's TCP mode, and what idle kept-alive clients cost.
import { direct, haproxy, localLb, type Contender } from './contenders';
import { idleRss, measure, type Scenario } from './measuring';

export interface HttpModeResults {
  /** Rows of the printed table, its heading first. */
  table: string[][];
  ratios: Record<string, number>;
  results: Record<string, unknown>;
}

const format = (value: number | undefined, digits = 0): string => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));
const LABELS: Record<string, string> = { direct: 'direct', 'local-lb-http': 'local-lb http', 'baseline-http': 'baseline http', 'local-lb': 'local-lb tcp', 'haproxy-http': 'haproxy http' };
/** Idle clients are held longer than the memory measurement lasts (HTTP mode closes silent ones after the request timeout). */
const HTTP_MODE = ['--mode', 'http', '--request-timeout', '60s'];

/** `scenarios`: `http` (static, kept alive, and idle memory) and `flask-http`. */
export async function benchHttpMode(options: {
  cli: string;
  staticPort: number;
  flaskPorts?: () => Promise<number[]>;
  withHaproxy: boolean;
  idleConnections: number;
  wanted: (key: string) => boolean;
  /** Another build's `dist/cli.js`, measured in HTTP mode too: an A/B of a change. */
  baselineCli?: string;
}): Promise<HttpModeResults> {
  const { cli, withHaproxy, baselineCli } = options;
  const names = ['direct', 'local-lb-http', ...(baselineCli ? ['baseline-http'] : []), 'local-lb', 'haproxy-http'];
  const table = [['HTTP mode', ...names.map((name) => LABELS[name]), 'http ÷ haproxy http', 'http ÷ tcp', ...(baselineCli ? ['http ÷ baseline http'] : [])]];
  const ratios: Record<string, number> = {};
  const results: Record<string, unknown> = {};
  const contenders = async (ports: number[], withDirect: boolean): Promise<Contender[]> => [
    ...(withDirect ? [direct(ports[0])] : []),
    await localLb(cli, ports, 'local-lb-http', 1, HTTP_MODE),
    ...(baselineCli ? [await localLb(baselineCli, ports, 'baseline-http', 1, HTTP_MODE)] : []),
    await localLb(cli, ports, 'local-lb'),
    ...(withHaproxy ? [await haproxy(ports, 'http')] : []),
  ];
  const row = (key: string, title: string, values: Map<string, { value: number }>): void => {
    const http = values.get('local-lb-http')?.value;
    const haproxyHttp = values.get('haproxy-http')?.value;
    const tcp = values.get('local-lb')?.value;
    if (http && haproxyHttp) ratios[`${key}_vs_haproxy_http`] = http / haproxyHttp;
    if (http && tcp) ratios[`${key}_vs_tcp`] = http / tcp;
    const baseline = values.get('baseline-http')?.value;
    if (http && baseline) ratios[`${key}_vs_baseline_http`] = http / baseline;
    const baselineRatio = baselineCli ? [format(ratios[`${key}_vs_baseline_http`], 2)] : [];
    table.push([title, ...names.map((name) => format(values.get(name)?.value)), format(ratios[`${key}_vs_haproxy_http`], 2), format(ratios[`${key}_vs_tcp`], 2), ...baselineRatio]);
  };

  if (options.wanted('http')) {
    process.stdout.write('measuring HTTP mode, kept-alive requests…\n');
    const staticContenders = await contenders([options.staticPort], true);
    const keepalive: Scenario = { key: 'http', title: 'keep-alive requests/s (wrk -c64)', unit: 'req/s', path: '/', wrk: { connections: 64, latency: true }, value: (r) => r.requestsPerSec };
    const measured = await measure(keepalive, staticContenders);
    results.http = Object.fromEntries(measured);
    row('http', keepalive.title, measured);
    process.stdout.write(`measuring HTTP mode, memory with ${options.idleConnections} idle kept-alive clients…\n`);
    const { settled } = await idleRss(staticContenders.filter((c) => c.pid), options.idleConnections);
    results.httpIdleRssMB = settled;
    if (settled['local-lb-http'] && settled['local-lb']) ratios.http_idle_rss_vs_tcp = settled['local-lb-http'] / settled['local-lb'];
    table.push([`RSS with ${options.idleConnections} idle clients, MB`, ...names.map((name) => format(settled[name])), '', format(ratios.http_idle_rss_vs_tcp, 2), ...(baselineCli ? [''] : [])]);
    for (const contender of staticContenders) await contender.stop();
  }

  if (options.wanted('flask-http') && options.flaskPorts) {
    process.stdout.write('measuring HTTP mode on Flask…\n');
    const flaskContenders = await contenders(await options.flaskPorts(), false);
    const flask: Scenario = { key: 'flask_http', title: 'three Flask, new connection per request, req/s', unit: 'req/s', path: '/', wrk: { connections: 16, headers: ['Connection: close'] }, value: (r) => r.requestsPerSec };
    const measured = await measure(flask, flaskContenders);
    results.flaskHttp = Object.fromEntries(measured);
    row('flask_http', flask.title, measured);
    for (const contender of flaskContenders) await contender.stop();
  }
  return { table, ratios, results };
}
