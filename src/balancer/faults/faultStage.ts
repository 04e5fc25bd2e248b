// One direction of a faulty connection: its bytes pass the faults in order, are cut, delayed,
// paced, dropped or cut off, and go out on coalesced timers.
import { Deadlines, type Deadline } from '../deadlines';
import type { Fault } from '../types';

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

interface Piece {
  chunk: Buffer;
  /** The clock's time it may leave at. */
  due: number;
}

export class FaultStage {
  private queue: Piece[] = [];
  private queuedBytes = 0;
  private paused = false;
  private wake?: Deadline;
  /** Per fault: the time its last piece leaves, so that pieces keep their order. */
  private readonly lastDue = new Map<Fault, number>();
  private limitLeft = new Map<Fault, number>();
  private ended = false;
  private endDue?: number;
  private firstData = true;
  private limitReached = false;
  /** The end is a close of the whole connection (`limit_data`), not a FIN passed on. */
  private closeAtEnd = false;
  private cutOff?: Deadline;
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
    const timeout = faults.find((fault) => fault.type === 'timeout');
    if (timeout && timeout.attributes.timeout > 0) this.cutOff = this.timers.set(timeout.attributes.timeout, () => this.finish('close'));
  }

  private now(): number {
    return this.timers.clock.now();
  }

  /** A chunk read from the source; the stage owns it from now on. */
  push(chunk: Buffer): void {
    if (this.done || this.ended) return;
    const now = this.now();
    if (this.firstData) {
      this.firstData = false;
      const reset = this.faults.find((fault) => fault.type === 'reset_peer');
      if (reset && reset.attributes.timeout === 0) {
        this.finish('reset');
        return;
      }
      if (reset) this.cutOff = this.timers.set(reset.attributes.timeout, () => this.finish('reset'));
    }
    let pieces: Piece[] = [{ chunk, due: now }];
    for (const fault of this.faults) pieces = this.apply(fault, pieces);
    for (const piece of pieces) {
      this.queue.push(piece);
      this.queuedBytes += piece.chunk.length;
    }
    if (this.limitReached) {
      // The limit has passed: the connection closes after the last piece allowed.
      this.ended = true;
      this.closeAtEnd = true;
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
    this.endDue = this.faults.some((fault) => fault.type === 'timeout') ? undefined : this.endTime();
    this.flush();
  }

  private endTime(): number {
    const slowClose = this.faults.find((fault) => fault.type === 'slow_close');
    const last = this.queue.length > 0 ? this.queue[this.queue.length - 1].due : this.now();
    return last + (slowClose ? slowClose.attributes.delay : 0);
  }

  /** Lifts `fault` from this direction: what it delayed goes out at once, what it held is released. */
  lift(fault: Fault): void {
    if (!this.faults.includes(fault)) return;
    this.faults = this.faults.filter((other) => other !== fault);
    if (fault.type === 'timeout' || fault.type === 'reset_peer') {
      if (this.cutOff) this.timers.cancel(this.cutOff);
      this.cutOff = undefined;
    }
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
    if (this.cutOff) this.timers.cancel(this.cutOff);
  }

  private apply(fault: Fault, pieces: Piece[]): Piece[] {
    const a = fault.attributes;
    switch (fault.type) {
      case 'latency':
        return this.inOrder(fault, pieces, () => a.latency + (a.jitter > 0 ? (Math.random() * 2 - 1) * a.jitter : 0));
      case 'bandwidth': {
        // Pieces of a tenth of a second's worth at most, each leaving once the one before had its time.
        const bytesPerMs = a.rate; // KB/s = bytes/ms
        const size = Math.max(1, Math.floor(bytesPerMs * 100));
        let free = this.lastDue.get(fault) ?? 0;
        const out: Piece[] = [];
        for (const piece of split(pieces, () => size)) {
          free = Math.max(free, piece.due) + piece.chunk.length / bytesPerMs;
          out.push({ chunk: piece.chunk, due: free });
        }
        this.lastDue.set(fault, free);
        return out;
      }
      case 'slicer': {
        const sizes = (): number => Math.max(1, Math.round(a.average_size + (Math.random() * 2 - 1) * a.size_variation));
        // Each slice `delay` µs after the one before it.
        const gap = a.delay / 1000;
        let last = this.lastDue.get(fault) ?? -Infinity;
        const slices = split(pieces, sizes);
        for (const slice of slices) {
          last = Math.max(slice.due, last + gap);
          slice.due = last;
        }
        this.lastDue.set(fault, last);
        return slices;
      }
      case 'timeout':
        // Nothing passes while it is on; the connection closes when it is due (0: never).
        return [];
      case 'limit_data': {
        let left = this.limitLeft.get(fault) ?? a.bytes;
        const out: Piece[] = [];
        for (const piece of pieces) {
          if (left <= 0) break;
          const chunk = piece.chunk.length > left ? piece.chunk.subarray(0, left) : piece.chunk;
          left -= chunk.length;
          out.push({ chunk, due: piece.due });
        }
        this.limitLeft.set(fault, left);
        if (left <= 0) this.limitReached = true;
        return out;
      }
      default:
        // reset_peer and slow_close act on the first data and on the end, not on the bytes.
        return pieces;
    }
  }

  /** Delays each piece by `delay()` ms, never before the piece before it. */
  private inOrder(fault: Fault, pieces: Piece[], delay: () => number): Piece[] {
    let last = this.lastDue.get(fault) ?? 0;
    for (const piece of pieces) {
      last = Math.max(last, piece.due + delay());
      piece.due = last;
    }
    this.lastDue.set(fault, last);
    return pieces;
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

/** Cuts pieces into chunks of `size()` bytes at most, each keeping its piece's due time. */
function split(pieces: Piece[], size: () => number): Piece[] {
  const out: Piece[] = [];
  for (const { chunk, due } of pieces) {
    for (let at = 0; at < chunk.length; ) {
      const length = Math.min(size(), chunk.length - at);
      out.push({ chunk: chunk.subarray(at, at + length), due });
      at += length;
    }
  }
  return out;
}
