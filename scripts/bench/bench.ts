// `npm run bench`: Local LB against a direct connection and HAProxy, measured in one run, as ratios.
// Contenders alternate round by round and each figure is the median of its rounds, so that noise
// from a shared machine falls on all of them alike.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { startFlaskBackends, startStaticBackend } from './backends';
import { direct, haproxy, haproxyInstalled, localLb, nodeFloor, toxiproxyProxy, type Contender } from './contenders';
import { benchHttpMode } from './httpMode';
import { idleRss, measure, ROUNDS, SECONDS, SETTLE_MS, type Scenario } from './measuring';
import { stopAll, stopAllOnSignal } from './processes';

const ROOT = join(__dirname, '..');
const IDLE_CONNECTIONS = 2000;
/** `local-lb --workers`: one process per core, as HAProxy runs one thread per core. */
const WORKERS = availableParallelism();
/** Another build's `dist/cli.js` to measure in the same run, as `baseline`: an A/B of a change. */
const BASELINE_CLI = process.env.BENCH_BASELINE_CLI;

const format = (value: number | undefined, digits = 0): string => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));

/** Column headings of the contenders, in table order. */
const COLUMNS: Record<string, string> = { direct: 'direct', 'local-lb': 'local-lb', 'local-lb-sockets': 'local-lb sockets', 'local-lb-workers': `local-lb ×${WORKERS}`, 'toxiproxy-proxy': 'toxiproxy proxy', baseline: 'baseline', 'node-floor': 'node floor', haproxy: 'haproxy' };
const SCENARIO_KEYS = ['keepalive', 'close', 'bulk', 'rss', 'flask', 'http', 'flask-http'];

async function main(): Promise<void> {
  const started = Date.now();
  const only = process.argv.slice(2);
  const unknown = only.filter((key) => !SCENARIO_KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`unknown scenario ${JSON.stringify(unknown[0])}: choose among ${SCENARIO_KEYS.join(', ')}`);
  const wanted = (key: string): boolean => only.length === 0 || only.includes(key);
  const cli = join(ROOT, 'dist', 'cli.js');
  const floor = join(ROOT, 'dist', 'bench-node-floor.js');
  const statik = await startStaticBackend();
  const withHaproxy = haproxyInstalled();
  console.log(`Backend: ${statik.kind} on :${statik.port}; HAProxy ${withHaproxy ? 'installed' : 'not installed (apt-get install haproxy): ratios to it are left out'}`);
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${ROUNDS} rounds of ${SECONDS} s, medians\n`);

  const scenarios: Scenario[] = [
    { key: 'keepalive', title: 'keep-alive requests/s (wrk -c64)', unit: 'req/s', path: '/', wrk: { connections: 64, latency: true }, value: (r) => r.requestsPerSec },
    { key: 'close', title: 'new connection per request, requests/s', unit: 'req/s', path: '/', wrk: { connections: 64, headers: ['Connection: close'] }, value: (r) => r.requestsPerSec },
    { key: 'bulk', title: 'bulk, one connection, MB/s', unit: 'MB/s', path: statik.bigPath, wrk: { connections: 1 }, value: (r) => r.megabytesPerSec },
  ];
  const balancers = async (ports: number[]): Promise<Contender[]> => [
    await localLb(cli, ports, 'local-lb'),
    await localLb(cli, ports, 'local-lb-sockets', 1, ['--data-path', 'sockets']),
    await localLb(cli, ports, 'local-lb-workers', WORKERS),
    await toxiproxyProxy(cli, ports),
    ...(BASELINE_CLI ? [await localLb(BASELINE_CLI, ports, 'baseline')] : []),
    await nodeFloor(floor, ports),
    ...(withHaproxy ? [await haproxy(ports)] : []),
  ];
  const lbNames = ['local-lb', 'local-lb-sockets', 'local-lb-workers', 'toxiproxy-proxy', ...(BASELINE_CLI ? ['baseline'] : [])];
  const staticContenders = [direct(statik.port), ...(await balancers([statik.port]))];
  const results: Record<string, Record<string, unknown>> = {};
  const columns = ['direct', ...lbNames, 'node-floor', 'haproxy'].filter((name) => name !== 'haproxy' || withHaproxy);
  /** Ratios are given for Local LB, and for the reference of what any Node proxy costs. */
  const rated = [...lbNames, 'node-floor'];
  const table: string[][] = [['scenario', ...columns.map((name) => COLUMNS[name]), ...rated.flatMap((name) => [`${COLUMNS[name]} ÷ haproxy`, `${COLUMNS[name]} ÷ direct`])]];
  const ratios: Record<string, number> = {};
  const errors: string[] = [];
  /**
   * Ratio keys: `close_vs_haproxy` for the default local-lb (handles), `close_sockets_vs_haproxy` on
   * the net.Socket data path, `close_workers_vs_haproxy` with
   * workers, `close_node_floor_vs_haproxy` for the reference.
   */
  const ratioKey = (key: string, lb: string, to: string): string => `${key}${{ 'local-lb': '', 'local-lb-sockets': '_sockets', 'local-lb-workers': '_workers', 'toxiproxy-proxy': '_toxiproxy', baseline: '_baseline', 'node-floor': '_node_floor' }[lb]}_vs_${to}`;

  const record = (key: string, title: string, measured: Awaited<ReturnType<typeof measure>>, latency: boolean): void => {
    results[key] = Object.fromEntries(measured);
    const cells: string[] = [];
    for (const lb of rated) {
      const l = measured.get(lb);
      for (const to of ['haproxy', 'direct']) {
        const other = measured.get(to);
        if (l && other) ratios[ratioKey(key, lb, to)] = l.value / other.value;
        cells.push(format(ratios[ratioKey(key, lb, to)], 2));
      }
    }
    table.push([title, ...columns.map((name) => format(measured.get(name)?.value)), ...cells]);
    if (latency) {
      table.push(['  latency p50 / p99 (ms)', ...columns.map((name) => { const m = measured.get(name); return m ? `${format(m.p50, 2)} / ${format(m.p99, 2)}` : '–'; }), ...cells.map(() => '')]);
    }
    for (const [name, m] of measured) if (m.errors > 0) errors.push(`${key}: ${name} saw ${m.errors} socket errors or non-2xx answers`);
  };

  for (const scenario of scenarios.filter((candidate) => wanted(candidate.key))) {
    process.stdout.write(`measuring ${scenario.title}…\n`);
    record(scenario.key, scenario.title, await measure(scenario, staticContenders), !!scenario.wrk.latency);
  }

  const rss: Record<string, number> = {};
  if (wanted('rss')) {
    process.stdout.write(`measuring memory with ${IDLE_CONNECTIONS} idle connections…\n`);
    const { now, settled } = await idleRss(staticContenders.filter((c) => c.pid), IDLE_CONNECTIONS);
    Object.assign(rss, settled);
    results.idleRssMB = { afterLoad: now, settled };
    const blanks = rated.flatMap(() => ['', '']);
    table.push([`RSS with ${IDLE_CONNECTIONS} idle connections, MB (all processes), after the load`, ...columns.map((name) => format(now[name])), ...blanks]);
    table.push([`  the same ${SETTLE_MS / 1000} s later`, ...columns.map((name) => format(settled[name])), ...blanks]);
  }
  for (const contender of staticContenders) await contender.stop();

  let flaskStarted: Promise<number[]> | undefined;
  const flaskBackends = (): Promise<number[]> => (flaskStarted ??= startFlaskBackends(join(ROOT, 'samples', 'flask', 'app.py')));
  if (wanted('flask')) {
    process.stdout.write('measuring Flask…\n');
    const flaskPorts = await flaskBackends();
    const flaskContenders = [direct(flaskPorts[0]), ...(await balancers(flaskPorts))];
    const flask: Scenario = { key: 'flask', title: 'three Flask backends, new connection per request, req/s', unit: 'req/s', path: '/', wrk: { connections: 16, headers: ['Connection: close'] }, value: (r) => r.requestsPerSec };
    record(flask.key, flask.title, await measure(flask, flaskContenders), false);
    for (const contender of flaskContenders) await contender.stop();
  }
  const http = await benchHttpMode({ cli, staticPort: statik.port, flaskPorts: flaskBackends, withHaproxy, idleConnections: IDLE_CONNECTIONS, wanted, baselineCli: BASELINE_CLI });
  Object.assign(ratios, http.ratios);
  Object.assign(results, http.results);

  const print = (rows: string[][]): void => {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    console.log(`\n${rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')).join('\n')}\n`);
  };
  if (table.length > 1) print(table);
  if (http.table.length > 1) print(http.table);
  for (const line of errors) console.log(`WARNING: ${line}`);
  const seconds = (Date.now() - started) / 1000;
  writeFileSync(join(process.cwd(), 'bench-results.json'), JSON.stringify({ date: new Date().toISOString(), seconds, backend: statik.kind, workers: WORKERS, ratios, results }, null, 2));
  console.log(`(${seconds.toFixed(0)} s; details in bench-results.json)`);
  const memory = Object.fromEntries(Object.entries({ idle_rss_mb: rss['local-lb'], idle_rss_sockets_mb: rss['local-lb-sockets'], idle_rss_workers_mb: rss['local-lb-workers'], idle_rss_baseline_mb: rss.baseline, idle_rss_node_floor_mb: rss['node-floor'] }).filter(([, value]) => value !== undefined));
  console.log(Object.entries({ ...ratios, ...memory }).map(([key, value]) => `${key}=${(value as number).toFixed(2)}`).join(' '));
}

stopAllOnSignal();
main()
  .catch((error: Error) => {
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
