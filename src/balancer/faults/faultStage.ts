// One direction of a faulty connection: its bytes pass the faults in order (each type's own file
// says what it does: types/), and go out on coalesced timers.
import { Deadlines, type Deadline } from '../deadlines';
import type { Fault } from '../types';
import type { ConnectionFaultType, FaultMemory, Piece, StageControl } from './faultType';
import { FAULT_TYPE_DEFINITIONS } from './types/index';

/** Where a stage's bytes go, and what it may do to the connection. A data path provides it. */
export interface StageOutput {
  write(chunk: Buffer): void;
  /** Passes the source's end (FIN) on. */
  end(): void;
  /** Stops and restarts reading the source: a stage holding this much is backpressure. */
  pauseSource(): void;
  resumeSource(): void;
  /** Cuts the connection with a reset to the client (`reset_peer`). */
  reset(): void;
  /** Closes the connection (`timeout`, `limit_data`). */
  close(): void;
}

/** Bytes held for later above which the source is paused, and below which it is read again. */
const HIGH_WATER = 64 * 1024;
const LOW_WATER = 16 * 1024;

/** Every stage's timers, on the real clock: one Node timer for all of them, however many connections and chunks. */
const sharedTimers = new Deadlines();

const typeOf = (fault: Fault): ConnectionFaultType => FAULT_TYPE_DEFINITIONS[fault.type] as ConnectionFaultType;

export class FaultStage implements StageControl {
  private queue: Piece[] = [];
  private queuedBytes = 0;
  private paused = false;
  private wake?: Deadline;
  /** What each fault keeps between chunks. */
  private readonly memories = new Map<Fault, FaultMemory>();
  private ended = false;
  private endDue?: number;
  /** Faults whose first-data hook has not run: every one until the first chunk, then those added since. */
  private awaitingData: Fault[];
  /** The end is a close of the whole connection (`limit_data`), not a FIN passed on. */
  private closeAtEnd = false;
  /** When the connection is cut (a `timeout`, a `reset_peer`), and by which fault: lifting it lifts its cut-off. */
  private cutOffs: Array<{ by?: Fault; deadline: Deadline }> = [];
  /** The fault whose hook runs now: what it sets (a cut-off) is known to be its own. */
  private acting?: Fault;
  /** No more bytes go out. */
  private done = false;
  /** The connection is closed: no timer either. */
  private disposed = false;

  constructor(
    /** The faults on this direction, in the order they were added. */
    private faults: Fault[],
    private readonly output: StageOutput,
    /** Where its timers are set; their clock is the stage's (a fake one in tests). */
    private readonly timers: Deadlines = sharedTimers,
  ) {
    this.awaitingData = [...faults];
    for (const fault of faults) {
      this.acting = fault;
      typeOf(fault).start?.(fault.attributes, this);
    }
    this.acting = undefined;
  }

  /** A chunk read from the source; the stage owns it from now on. */
  push(chunk: Buffer): void {
    if (this.done || this.ended) return;
    const now = this.now();
    if (this.awaitingData.length > 0) {
      const awaiting = this.awaitingData;
      this.awaitingData = [];
      for (const fault of awaiting) {
        if (!this.faults.includes(fault)) continue;
        this.acting = fault;
        if (typeOf(fault).firstData?.(fault.attributes, this)) return;
      }
    }
    let pieces: Piece[] = [{ chunk, due: now }];
    for (const fault of this.faults) {
      const shape = typeOf(fault).shape;
      this.acting = fault;
      if (shape) pieces = shape(pieces, fault.attributes, this.memoryOf(fault), this);
    }
    this.acting = undefined;
    for (const piece of pieces) {
      this.queue.push(piece);
      this.queuedBytes += piece.chunk.length;
    }
    if (this.closeAtEnd && !this.ended) {
      // A limit was reached: the connection closes after the last piece allowed.
      this.ended = true;
      this.endDue = this.queue.length > 0 ? this.queue[this.queue.length - 1].due : now;
    }
    if (!this.paused && this.queuedBytes > HIGH_WATER) {
      this.paused = true;
      this.output.pauseSource();
    }
    this.flush();
  }

  /** The source's end: passed on after what is queued, late by `slow_close`, held while `timeout` is on. */
  end(): void {
    if (this.done || this.ended) return;
    this.ended = true;
    this.endDue = this.endTime();
    this.flush();
  }

  /**
   * A fault added while the connection is open, as toxiproxy adds a toxic to its open links: it
   * acts on the bytes from now on (its start hook now, its first-data hook at the next chunk).
   */
  add(fault: Fault): void {
    if (this.done || this.faults.includes(fault)) return;
    this.faults = [...this.faults, fault];
    this.awaitingData.push(fault);
    this.acting = fault;
    typeOf(fault).start?.(fault.attributes, this);
    this.acting = undefined;
    if (this.ended && !this.closeAtEnd) this.endDue = this.endTime();
    this.flush();
  }

  /** Lifts `fault` from this direction: what it delayed goes out at once, what it held is released. */
  lift(fault: Fault): void {
    if (!this.faults.includes(fault)) return;
    this.faults = this.faults.filter((other) => other !== fault);
    for (const cutOff of this.cutOffs) if (cutOff.by === fault) this.timers.cancel(cutOff.deadline);
    this.cutOffs = this.cutOffs.filter((cutOff) => cutOff.by !== fault);
    const now = this.now();
    for (const piece of this.queue) piece.due = Math.min(piece.due, now);
    if (this.ended && !this.closeAtEnd) this.endDue = this.endTime();
    this.flush();
  }

  /** The connection closed: nothing more goes out, no timer is left. */
  dispose(): void {
    this.done = true;
    this.disposed = true;
    this.queue = [];
    if (this.wake) this.timers.cancel(this.wake);
    for (const cutOff of this.cutOffs) this.timers.cancel(cutOff.deadline);
    this.cutOffs = [];
  }

  cutOffIn(ms: number, how: 'close' | 'reset'): void {
    this.cutOffs.push({ by: this.acting, deadline: this.timers.set(ms, () => this.finish(how)) });
  }

  reset(): void {
    this.finish('reset');
  }

  closeAfterQueued(): void {
    this.closeAtEnd = true;
  }

  private now(): number {
    return this.timers.clock.now();
  }

  private memoryOf(fault: Fault): FaultMemory {
    let memory = this.memories.get(fault);
    if (!memory) this.memories.set(fault, (memory = {}));
    return memory;
  }

  /** When the end goes: after the last piece, plus the longest delay a fault adds (none while one holds it). */
  private endTime(): number | undefined {
    let delay = 0;
    for (const fault of this.faults) delay = Math.max(delay, typeOf(fault).endDelay?.(fault.attributes) ?? 0);
    if (delay === Infinity) return undefined;
    const last = this.queue.length > 0 ? this.queue[this.queue.length - 1].due : this.now();
    return last + delay;
  }

  /** Sends what is due, and sets the timer for what is not. */
  private flush(): void {
    if (this.done) return;
    const now = this.now();
    let sent = 0;
    while (sent < this.queue.length && this.queue[sent].due <= now) {
      const { chunk } = this.queue[sent++];
      this.queuedBytes -= chunk.length;
      this.output.write(chunk);
    }
    if (sent > 0) this.queue.splice(0, sent);
    if (this.paused && this.queuedBytes < LOW_WATER) {
      this.paused = false;
      this.output.resumeSource();
    }
    if (this.wake) this.timers.cancel(this.wake);
    this.wake = undefined;
    const next = this.queue.length > 0 ? this.queue[0].due : this.endDue;
    if (next === undefined) return;
    if (this.queue.length === 0 && next <= now) {
      this.finish(this.closeAtEnd ? 'close' : 'end');
      return;
    }
    this.wake = this.timers.set(Math.max(0, next - now), () => this.flush());
  }

  private finish(how: 'end' | 'close' | 'reset'): void {
    if (how === 'end') {
      if (this.done) return;
      // Only this direction is done: a reset still due comes, the connection may stay open.
      this.done = true;
      this.output.end();
      return;
    }
    if (this.disposed) return;
    this.dispose();
    if (how === 'close') this.output.close();
    else this.output.reset();
  }
}
