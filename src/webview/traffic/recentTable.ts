// The table of recent connections or requests: filters by backend and outcome, pause and clear,
// every value put in as text (paths and addresses come from sockets).
import type { TrafficEntry } from '../../balancer/traffic/trafficTypes';
import { OUTCOMES } from '../../balancer/types';
import type { TableState, TrafficModel } from './trafficModel';

export interface TableElements {
  body: HTMLTableSectionElement;
  /** The pool filter, with every pool shown. */
  pool: HTMLSelectElement;
  backend: HTMLSelectElement;
  outcome: HTMLSelectElement;
  pause: HTMLButtonElement;
  clear: HTMLButtonElement;
  count: HTMLElement;
  /** Columns shown in HTTP mode only. */
  httpColumns: HTMLElement[];
  /** The pool column and filter, shown with every pool shown. */
  poolColumns: HTMLElement[];
}

/** Rows drawn until the table is scrolled near its end: under load all of them change twice a second. */
const FIRST_ROWS = 40;

export class RecentTable {
  /** What the rows were last drawn from, so that an update with nothing new redraws nothing. */
  private drawn = '';
  private limit = FIRST_ROWS;

  constructor(
    private readonly elements: TableElements,
    private state: TableState,
    /** The user changed a filter, paused or cleared: the state is saved and the rows drawn again. */
    private readonly changed: (state: TableState) => void,
    private readonly lastSeq: () => number,
    /** The row selected (its details shown), and a row chosen by click, Enter or the arrow keys. */
    private readonly selection: { selected?: number; select(seq: number): void },
  ) {
    const { pool, backend, outcome, pause, clear } = elements;
    outcome.replaceChildren(option('', 'All outcomes'), ...OUTCOMES.map((name) => option(name, name)));
    outcome.value = state.outcome;
    pool.addEventListener('change', () => this.set({ pool: pool.value }));
    backend.addEventListener('change', () => this.set({ backend: backend.value }));
    outcome.addEventListener('change', () => this.set({ outcome: outcome.value as TableState['outcome'] }));
    pause.addEventListener('click', () => this.set({ paused: !this.state.paused, pausedSeq: this.lastSeq() }));
    clear.addEventListener('click', () => this.set({ clearedSeq: this.lastSeq() }));
    elements.body.addEventListener('click', (event) => {
      const seq = seqOf(event.target);
      if (seq !== undefined) selection.select(seq);
    });
    elements.body.addEventListener('keydown', (event) => {
      const tr = (event.target as HTMLElement).closest('tr');
      const next = event.key === 'ArrowDown' ? tr?.nextElementSibling : event.key === 'ArrowUp' ? tr?.previousElementSibling : event.key === 'Enter' || event.key === ' ' ? tr : undefined;
      const seq = seqOf(next ?? null);
      if (seq === undefined) return;
      event.preventDefault();
      (next as HTMLElement).focus();
      selection.select(seq);
    });
    const scroller = elements.body.closest('.table-scroll');
    scroller?.addEventListener('scroll', () => {
      if (this.limit === Infinity || scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 200) return;
      this.limit = Infinity;
      this.changed(this.state);
    });
  }

  draw(model: TrafficModel, time: (ms: number) => string): void {
    const { body, pool, backend, pause, count, httpColumns, poolColumns } = this.elements;
    const pools = model.pools.length > 0;
    for (const column of poolColumns) column.hidden = !pools;
    if (pool.dataset.pools !== model.pools.join('\n')) {
      pool.dataset.pools = model.pools.join('\n');
      pool.replaceChildren(option('', 'All pools'), ...model.pools.map((name) => option(name, name)));
      pool.value = this.state.pool;
    }
    const ids = [...model.lines.values()].map((line) => `${line.id}\t${line.label}`);
    if (backend.dataset.ids !== ids.join('\n')) {
      backend.dataset.ids = ids.join('\n');
      backend.replaceChildren(option('', 'All backends'), ...[...model.lines.values()].map((line) => option(line.id, line.label)));
      backend.value = this.state.backend;
    }
    pause.textContent = this.state.paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(this.state.paused));
    const http = model.mode === 'http';
    for (const column of httpColumns) column.hidden = !http;
    const selected = this.selection.selected;
    const key = `${model.lastSeq}|${model.entries[0]?.seq}|${JSON.stringify(this.state)}|${http}|${pools}|${this.limit}|${selected}`;
    if (key === this.drawn) return;
    this.drawn = key;
    const rows = model.rows(this.state);
    const labels = new Map([...model.lines.values()].map((line) => [line.id, line.label]));
    // Drawn again as rows come, the focused row keeps the focus.
    const focused = seqOf(document.activeElement);
    body.replaceChildren(...rows.slice(0, this.limit).map((entry) => row(entry, http, pools, labels, time, entry.seq === selected)));
    if (focused !== undefined) body.querySelector<HTMLElement>(`tr[data-seq="${focused}"]`)?.focus();
    count.textContent = `${rows.length} ${http ? 'request' : 'connection'}${rows.length === 1 ? '' : 's'}${this.state.paused ? ', paused' : ''}`;
  }

  private set(change: Partial<TableState>): void {
    this.state = { ...this.state, ...change };
    this.changed(this.state);
  }
}

function option(value: string, text: string): HTMLOptionElement {
  const element = document.createElement('option');
  element.value = value;
  element.textContent = text;
  return element;
}

/** The seq of the row `target` is in, if it is one. */
function seqOf(target: EventTarget | Element | null): number | undefined {
  const tr = target instanceof Element ? target.closest('tr[data-seq]') : null;
  return tr ? Number((tr as HTMLElement).dataset.seq) : undefined;
}

function row(entry: TrafficEntry, http: boolean, pools: boolean, labels: Map<string, string>, time: (ms: number) => string, selected: boolean): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = `outcome-${entry.outcome.replace(' ', '-')}${selected ? ' selected' : ''}`;
  tr.dataset.seq = String(entry.seq);
  tr.tabIndex = 0;
  tr.setAttribute('aria-selected', String(selected));
  const cells = [
    time(entry.at),
    ...(pools ? [entry.pool ?? ''] : []),
    entry.client,
    entry.backend ? (labels.get(entry.backend) ?? entry.backend) : '—',
    ...(http ? [entry.method ?? '', entry.path ?? '', entry.status === undefined ? '—' : String(entry.status)] : []),
    `${entry.durationMs < 10 ? entry.durationMs.toFixed(1) : Math.round(entry.durationMs)} ms`,
    bytes(entry.bytesIn),
    bytes(entry.bytesOut),
    entry.replay ? `${entry.outcome} · replay` : entry.outcome,
  ];
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

function bytes(count: number): string {
  return count < 1024 ? `${count} B` : count < 1024 * 1024 ? `${(count / 1024).toFixed(1)} KB` : `${(count / 1024 / 1024).toFixed(1)} MB`;
}
