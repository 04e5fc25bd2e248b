// The traffic panel's script: keeps the model, draws the charts, the health band and the table on
// the next animation frame after an update, never more than once a frame.
import 'uplot/dist/uPlot.min.css';
import { ALL_POOLS, type PoolChoice } from '../../balancer/traffic/panelMessages';
import type { PercentileSeries } from '../../balancer/traffic/trafficTypes';
import './traffic.css';
import { onThemeChange, readPalette } from './colors';
import { HealthBand } from './healthBand';
import { DetailsPane } from './detailsPane';
import { connectHost } from './host';
import { RecentTable } from './recentTable';
import { TimeChart, type Line } from './timeChart';
import { INITIAL_TABLE, TrafficModel, type BackendLine, type TableState } from './trafficModel';

const byId = <E extends HTMLElement>(id: string): E => document.getElementById(id) as E;
const clock = (ms: number): string => new Date(ms).toLocaleTimeString(undefined, { hour12: false });
const clockMs = (ms: number): string => `${clock(ms)}.${String(Math.floor(ms % 1000)).padStart(3, '0')}`;

const model = new TrafficModel();
const host = connectHost();
const poolSelect = byId<HTMLSelectElement>('pool');
/** The pool shown; its name starts the summary when there are several. */
let shownPool = '';
let poolCount = 0;
poolSelect.addEventListener('change', () => host.choosePool(poolSelect.value));

/** The selector lists the pools there are, and all of them at once, showing the choice; hidden with one pool. */
function showPools({ pool, pools }: PoolChoice): void {
  // Another pool's rows are numbered otherwise: its details pane starts closed.
  if (poolSelect.value !== '' && poolSelect.value !== pool && pane.selected !== undefined) void pane.show(undefined);
  const all = pool === ALL_POOLS;
  shownPool = all ? 'All pools' : pool;
  poolCount = pools.length;
  model.pools = all ? pools : [];
  byId('pool-choice').hidden = pools.length <= 1;
  const choices = [...pools, ALL_POOLS];
  if ([...poolSelect.options].map((option) => option.value).join('\n') !== choices.join('\n')) {
    poolSelect.replaceChildren(...choices.map((name) => new Option(name === ALL_POOLS ? 'All pools' : name, name)));
  }
  poolSelect.value = pool;
}
let palette = readPalette();
const rate = new TimeChart(byId('rate'), () => (model.mode === 'http' ? 'requests/s' : 'connections/s'), (second) => clock(second * 1000));
const latency = new TimeChart(byId('latency'), () => 'ms', (second) => clock(second * 1000));
const connect = new TimeChart(byId('connect'), () => 'ms', (second) => clock(second * 1000));
const band = new HealthBand(byId('band'), byId('band-text'));
const pane = new DetailsPane(
  { pane: byId('details'), title: byId('details-title'), body: byId('details-body'), copyCurl: byId('copy-curl'), replay: byId('replay'), replayToBackend: byId('replay-backend'), exportHar: byId('export-har'), close: byId('close-details') },
  host,
  () => redraw(),
);
const table = new RecentTable(
  {
    body: byId<HTMLTableElement>('recent').tBodies[0],
    pool: byId('filter-pool'),
    backend: byId('filter-backend'),
    outcome: byId('filter-outcome'),
    pause: byId('pause'),
    clear: byId('clear'),
    count: byId('recent-count'),
    httpColumns: [...document.querySelectorAll<HTMLElement>('.http-only')],
    poolColumns: [...document.querySelectorAll<HTMLElement>('.pools-only')],
  },
  { ...INITIAL_TABLE, ...host.savedState() },
  (state: TableState) => {
    host.saveState(state);
    redraw();
  },
  () => model.lastSeq,
  { get selected() { return pane.selected; }, select: (seq) => void pane.show(seq) },
);

let frame = 0;
function redraw(): void {
  if (frame === 0) frame = requestAnimationFrame(draw);
}

function draw(): void {
  frame = 0;
  const lines = [...model.lines.values()];
  const color = (i: number): string => palette.series[i % palette.series.length];
  const http = model.mode === 'http';
  byId('rate-title').textContent = http ? 'Requests per second' : 'New connections per second';
  byId('latency-title').textContent = http ? 'Time to the answer, p50 and p99 (dashed)' : 'Time to the first byte, p50 and p99 (dashed)';
  const rates: Line[] = lines.map((line, i) => ({ label: line.label, values: line.counts, color: color(i) }));
  rates.push({ label: 'Total', values: model.totals(), color: palette.foreground, dashed: true, width: 1 });
  rate.draw(model.seconds, rates, palette);
  /** Each backend's p50 (solid) and p99 (dashed) of a time. */
  const percentileLines = (of: (line: BackendLine) => PercentileSeries): Line[] =>
    lines.flatMap((line, i) => [
      { label: `${line.label} p50`, values: of(line).p50, color: color(i) },
      { label: `${line.label} p99`, values: of(line).p99, color: color(i), dashed: true },
    ]);
  latency.draw(model.seconds, percentileLines((line) => line), palette);
  byId('connect-section').hidden = http;
  if (!http) connect.draw(model.seconds, percentileLines((line) => line.connect), palette);
  band.draw(model, palette, (second) => clock(second * 1000), rate.plotArea());
  // The charts told as text, for screen readers: the last whole second.
  const last = model.seconds.length - 1;
  const unit = http ? 'requests' : 'connections';
  const ms = (value: number | null | undefined): string => (value === null || value === undefined ? 'none' : `${value} ms`);
  byId('rate-text').textContent = `In the last second: ${lines.map((line) => `${line.label} ${line.counts[last] ?? 0}`).join(', ')} ${unit}.`;
  const lastPercentiles = (of: (line: BackendLine) => PercentileSeries): string =>
    `In the last second, p50 and p99: ${lines.map((line) => `${line.label} ${ms(of(line).p50[last])} and ${ms(of(line).p99[last])}`).join('; ')}.`;
  byId('latency-text').textContent = lastPercentiles((line) => line);
  byId('connect-text').textContent = http ? '' : lastPercentiles((line) => line.connect);
  table.draw(model, clockMs);
  const now = model.totals().at(-1) ?? 0;
  byId('summary').textContent = `${poolCount > 1 ? `${shownPool} · ` : ''}${model.mode.toUpperCase()} mode · ${lines.length} backend${lines.length === 1 ? '' : 's'} · ${now} ${http ? 'requests' : 'connections'} in the last second`;
}

onThemeChange(() => {
  palette = readPalette();
  redraw();
});
window.addEventListener('resize', redraw);
host.start(
  (update, full, choice) => {
    showPools(choice);
    model.apply(update, full);
    redraw();
  },
  () => model.cursor,
);
