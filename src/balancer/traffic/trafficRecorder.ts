// What the traffic panel shows, recorded as it happens: per backend and per second, what was sent,
// what failed, how long answers took and the backend's state (always: a few array increments); and
// the last connections or requests that ended (only while someone watches).
import type { Backend } from '../backend';
import { shortLabel } from '../address';
import { faultActs } from '../faults/fault';
import type { Events } from '../log';
import type { ConnectionClosedInfo, Mode, Outcome, RefusedInfo, RequestInfo } from '../types';
import { RecentEntries } from './recentEntries';
import { SLOTS } from '../statistics/secondSlots';
import { BAND_STATES, HISTORY_SECONDS, RECENT_ENTRIES, type BackendRecord, type TrafficCursor, type TrafficEntry, type TrafficRecord } from './trafficTypes';

/** How often the backends' states are written down when nothing else happens. */
const STATE_TICK_MS = 1000;
const BAND_CODES = Object.fromEntries(BAND_STATES.map((state, index) => [state, index + 1])) as Record<string, number>;

/** Replays on their way, at most: each is one click in the inspector. */
const MAX_REPLAYS_AWAITED = 64;

export class TrafficRecorder {
  /** The epoch second under way, and its slot. */
  private second: number;
  private slot: number;
  private nextSecondAt: number;
  private ticker?: NodeJS.Timeout;
  private watchers = 0;
  private readonly recent = new RecentEntries(RECENT_ENTRIES);
  /** The client addresses of replays on their way: their rows are marked. */
  private readonly replays = new Set<string>();

  constructor(
    private readonly events: Events,
    private readonly backends: () => readonly Backend[],
    private readonly mode: () => Mode,
    /** Epoch ms; a test's fake clock in tests. */
    private readonly clock: () => number = Date.now,
  ) {
    this.second = Math.floor(clock() / 1000);
    this.slot = this.second % SLOTS;
    this.nextSecondAt = (this.second + 1) * 1000;
    events.on('listening', () => {
      clearInterval(this.ticker);
      this.ticker = setInterval(() => this.noteStates(), STATE_TICK_MS).unref();
    });
    events.on('stopped', () => clearInterval(this.ticker));
    events.on('stateChanged', () => this.noteStates());
    events.on('configChanged', () => this.noteStates());
  }

  /** A request (HTTP mode) or connection (TCP mode) was sent to `backend`; `failed` when it is known to have failed already. */
  sent(backend: Backend, failed = false): void {
    const slot = this.current();
    backend.stats.seconds.counts[slot]++;
    if (failed) backend.stats.seconds.failures[slot]++;
  }

  /** An answer's head came after `ms`; a 5xx is a failure. */
  answered(backend: Backend, status: number, ms: number): void {
    this.timed(backend, ms);
    if (status >= 500) this.failed(backend);
  }

  /** Its answer's head (HTTP mode) or first byte (TCP mode) came after `ms`. */
  timed(backend: Backend, ms: number): void {
    backend.stats.seconds.answers.record(this.current(), ms);
  }

  /** TCP mode: a connection to it took `ms`. */
  connected(backend: Backend, ms: number): void {
    backend.stats.seconds.connects.record(this.current(), ms);
  }

  /** It failed: a 5xx, cut off, timed out. */
  failed(backend: Backend): void {
    backend.stats.seconds.failures[this.current()]++;
  }

  /**
   * Keeps the last connections or requests that ended until the returned function is called. The
   * entries cost work per connection, so they are made only while someone watches.
   */
  watch(): () => void {
    if (this.watchers++ === 0) {
      this.events.on('connectionClosed', this.connectionEnded);
      this.events.on('request', this.requestEnded);
      this.events.on('refused', this.refused);
    }
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      if (--this.watchers > 0) return;
      this.events.off('connectionClosed', this.connectionEnded);
      this.events.off('request', this.requestEnded);
      this.events.off('refused', this.refused);
    };
  }

  /** The entries kept with the inspector's details (HTTP mode, recorded while watched), oldest first. */
  detailed(): TrafficEntry[] {
    return this.recent.withDetails();
  }

  /** A replay's request from `client` is coming: its row is marked as a replay. */
  expectReplay(client: string): void {
    // A replay that never came (its connection failed) is forgotten with the oldest.
    if (this.replays.size >= MAX_REPLAYS_AWAITED) this.replays.delete(this.replays.values().next().value as string);
    this.replays.add(client);
  }

  /** Row `seq`, with its details when it has them; undefined once it is gone from the record. */
  entry(seq: number): TrafficEntry | undefined {
    return this.recent.entry(seq);
  }

  /** What the details kept weigh, in bytes: at most `DETAILS_BUDGET_BYTES`. */
  get detailsWeight(): number {
    return this.recent.recordsWeight;
  }

  /** The whole seconds and the entries after `since` (all that is kept, without it). */
  read(since?: TrafficCursor): TrafficRecord {
    this.noteStates();
    const to = this.second - 1;
    const from = Math.max(since ? since.second + 1 : 0, to - HISTORY_SECONDS + 1);
    const mode = this.mode();
    return {
      mode,
      from,
      to,
      backends: this.backends().map((backend) => record(backend, mode, from, to)),
      entries: this.recent.since(since?.seq ?? 0),
      cursor: { second: Math.max(to, since?.second ?? 0), seq: this.recent.lastSeq },
    };
  }

  /** The slot of the second now; seconds begun since the last call get their slots emptied first. */
  private current(): number {
    const now = this.clock();
    if (now >= this.nextSecondAt) this.advance(Math.floor(now / 1000));
    return this.slot;
  }

  private advance(second: number): void {
    const backends = this.backends();
    const mode = this.mode();
    for (let s = Math.max(this.second + 1, second - SLOTS + 1); s <= second; s++) {
      const slot = s % SLOTS;
      for (const backend of backends) {
        backend.stats.seconds.clear(slot);
        backend.stats.seconds.states[slot] = bandCode(backend, mode);
      }
    }
    this.second = second;
    this.slot = second % SLOTS;
    this.nextSecondAt = (second + 1) * 1000;
  }

  /** Each backend's state now, in the second under way. */
  private noteStates(): void {
    const slot = this.current();
    const mode = this.mode();
    for (const backend of this.backends()) backend.stats.seconds.states[slot] = bandCode(backend, mode);
  }

  private readonly connectionEnded = (info: ConnectionClosedInfo): void => {
    this.add(info.client, info.backend, info.durationMs, info.bytesSent, info.bytesReceived, info.outcome);
  };

  private readonly requestEnded = (info: RequestInfo): void => {
    const entry = this.add(info.client, info.backend, info.durationMs, info.bytesIn, info.bytesOut, info.outcome);
    entry.method = info.method;
    entry.path = info.target;
    entry.status = info.status;
    if (info.details) this.recent.keepRecord(entry, info.details);
    if (this.replays.delete(info.client)) entry.replay = true;
  };

  private readonly refused = (info: RefusedInfo): void => {
    this.add(info.client, undefined, 0, 0, 0, 'refused');
  };

  /** The next entry of the ring, filled with what every entry has. */
  private add(client: string, backend: string | undefined, durationMs: number, bytesIn: number, bytesOut: number, outcome: Outcome): TrafficEntry {
    const entry = this.recent.next();
    entry.at = this.clock() - durationMs;
    entry.client = client;
    entry.backend = backend;
    entry.durationMs = durationMs;
    entry.bytesIn = bytesIn;
    entry.bytesOut = bytesOut;
    entry.outcome = outcome;
    return entry;
  }
}

function bandCode(backend: Backend, mode: Mode): number {
  const state = backend.state;
  const faulty = (state === 'up' || state === 'unknown') && backend.faults.list.some((fault) => faultActs(fault, mode));
  return BAND_CODES[faulty ? 'faulty' : state];
}

function record(backend: Backend, mode: Mode, from: number, to: number): BackendRecord {
  const seconds = backend.stats.seconds;
  // Named as the tree names it: `:8101`, or the name given.
  const result: BackendRecord = { id: backend.id, label: shortLabel(backend.spec), counts: [], failures: [], states: [], latency: [], fastest: [], slowest: [] };
  if (backend.state === 'down' && backend.lastError) result.down = backend.lastError;
  const connect = mode === 'tcp' ? (result.connect = { latency: [], fastest: [], slowest: [] }) : undefined;
  for (let s = from; s <= to; s++) {
    const slot = s % SLOTS;
    result.counts.push(seconds.counts[slot]);
    result.failures.push(seconds.failures[slot]);
    result.states.push(seconds.states[slot]);
    seconds.answers.appendTo(result, slot);
    if (connect) seconds.connects.appendTo(connect, slot);
  }
  return result;
}
