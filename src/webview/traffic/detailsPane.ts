// The details pane beside the table: a selected request's overview, where its time went (a small
// waterfall), its headers both ways (those Local LB added marked), what failed over or answered
// for the backend. Every value goes in as text: headers come from sockets.
import type { DetailsMessage } from '../../balancer/traffic/panelMessages';
import type { HeaderLine, RequestDetails } from '../../balancer/types';
import type { PanelHost } from './host';

export interface PaneElements {
  pane: HTMLElement;
  title: HTMLElement;
  body: HTMLElement;
  copyCurl: HTMLButtonElement;
  replay: HTMLButtonElement;
  replayToBackend: HTMLButtonElement;
  exportHar: HTMLButtonElement;
  close: HTMLButtonElement;
}

const STEPS: ReadonlyArray<[key: keyof RequestDetails['timings'], label: string]> = [
  ['blocked', 'Waiting for a backend'],
  ['connect', 'Connecting'],
  ['send', 'Sending the request'],
  ['wait', 'Waiting for the answer'],
  ['receive', 'Receiving the answer'],
];

export class DetailsPane {
  /** The row shown, if any: the table keeps it selected as rows come. */
  selected?: number;
  private shown?: DetailsMessage;

  constructor(
    private readonly elements: PaneElements,
    private readonly host: PanelHost,
    /** The selection changed: the table draws it. */
    private readonly changed: () => void,
  ) {
    elements.copyCurl.addEventListener('click', () => this.shown?.curl && host.copyCurl(this.shown.seq, this.shown.curl));
    elements.exportHar.addEventListener('click', () => host.exportHar());
    elements.replay.hidden = elements.replayToBackend.hidden = !host.canReplay;
    elements.replay.addEventListener('click', () => this.shown?.details && host.replay(this.shown.seq, false));
    elements.replayToBackend.addEventListener('click', () => this.shown?.details && host.replay(this.shown.seq, true));
    elements.close.addEventListener('click', () => this.show(undefined));
  }

  /** Shows row `seq`'s details (asked of the host), or closes the pane. */
  async show(seq: number | undefined): Promise<void> {
    this.selected = seq;
    this.changed();
    const { pane } = this.elements;
    if (seq === undefined) {
      pane.hidden = true;
      this.shown = undefined;
      return;
    }
    const answer = await this.host.details(seq);
    if (this.selected !== seq) return;
    this.shown = answer;
    this.render(answer);
    pane.hidden = false;
  }

  private render(answer: DetailsMessage): void {
    const { title, body, copyCurl, replay, replayToBackend } = this.elements;
    copyCurl.disabled = answer.curl === undefined;
    // Only a request without a body can be sent again: bodies are not recorded.
    replay.disabled = replayToBackend.disabled = !answer.details || answer.details.requestBodyBytes > 0;
    const details = answer.details;
    if (!details) {
      title.textContent = 'No details';
      body.replaceChildren(paragraph(answer.none ?? ''));
      return;
    }
    title.textContent = `${answer.url ?? ''}`;
    const response = details.response;
    const overview: Array<[string, string]> = [
      ['Status', response ? `${response.status} ${response.reason}` : 'none: the connection was cut'],
      ['Connection', details.reusedConnection ? 'a kept connection, reused' : 'a new connection'],
      ['Bodies', `${details.requestBodyBytes} B sent, ${details.responseBodyBytes} B answered`],
      ...(details.sticky ? [['Sticky session', details.sticky === 'kept' ? 'the cookie chose the backend' : 'the answer set the cookie'] as [string, string]] : []),
      ...(details.fault ? [['Fault', details.fault] as [string, string]] : []),
      ...(details.ownAnswer ? [['Answered by Local LB', details.ownAnswer] as [string, string]] : []),
      ...(details.attempts ?? []).map(({ backend, error }): [string, string] => [`Tried ${backend} first`, error]),
    ];
    body.replaceChildren(
      section('Overview', pairs(overview)),
      section('Timing', waterfall(details.timings)),
      section('Request headers', headerTable(details.requestHeaders, details.removedHeaders, 'left out by Local LB')),
      section('Added by Local LB', headerTable(details.addedHeaders, [], '')),
      section('Response headers', response ? headerTable(response.headers, [], '') : paragraph('No answer reached the client.')),
    );
  }
}

function section(heading: string, content: HTMLElement): HTMLElement {
  const element = document.createElement('section');
  const title = document.createElement('h4');
  title.textContent = heading;
  element.append(title, content);
  return element;
}

function paragraph(text: string): HTMLElement {
  const element = document.createElement('p');
  element.textContent = text;
  return element;
}

function pairs(rows: Array<[string, string]>): HTMLElement {
  const list = document.createElement('dl');
  for (const [name, value] of rows) {
    const term = document.createElement('dt');
    term.textContent = name;
    const text = document.createElement('dd');
    text.textContent = value;
    list.append(term, text);
  }
  return list;
}

/** The headers as a table; those named in `marked` get `mark` beside them. */
function headerTable(headers: readonly HeaderLine[], marked: readonly string[], mark: string): HTMLElement {
  const table = document.createElement('table');
  table.className = 'headers';
  for (const [name, value] of headers) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    const td = document.createElement('td');
    td.textContent = marked.includes(name) ? `${value} (${mark})` : value;
    tr.append(th, td);
    table.append(tr);
  }
  return table;
}

/** Each step's bar, placed where it starts in the request's time, with its duration as text. */
function waterfall(timings: RequestDetails['timings']): HTMLElement {
  const total = STEPS.reduce((sum, [key]) => sum + Math.max(0, timings[key]), 0) || 1;
  const list = document.createElement('ol');
  list.className = 'waterfall';
  let start = 0;
  for (const [key, label] of STEPS) {
    const ms = timings[key];
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = ms < 0 ? `${label}: none (a kept connection)` : `${label}: ${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
    const bar = document.createElement('span');
    bar.className = `bar step-${key}`;
    bar.style.marginLeft = `${(100 * start) / total}%`;
    bar.style.width = `${(100 * Math.max(0, ms)) / total}%`;
    item.append(name, bar);
    list.append(item);
    start += Math.max(0, ms);
  }
  return list;
}
