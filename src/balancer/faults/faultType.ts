// What one fault type is, as each of toxiproxy's toxics is a file of its own: its attributes, how
// views name it, and what it does to a connection's bytes or to a request. A new type is one file
// in types/ and its test.
import type { FaultUnit } from '../types';

export interface AttributeRule {
  unit: FaultUnit;
  /** Absent: the attribute must be given. */
  default?: number;
  /** The least value allowed. */
  min: number;
  /** The most allowed, when less than any number a fault could use. */
  max?: number;
}

export type Attributes = Readonly<Record<string, number>>;

/** Bytes on their way through a stage, and the clock's time they may leave at. */
export interface Piece {
  chunk: Buffer;
  due: number;
}

/** What a fault keeps between the chunks of one connection's direction. */
export interface FaultMemory {
  /** The time its last piece leaves, so that pieces keep their order. */
  last?: number;
  /** Bytes it lets pass still. */
  left?: number;
}

/** What a fault may do to the connection its stage belongs to. */
export interface StageControl {
  /** Closes the connection (`close`) or resets it (`reset`) in `ms`, unless the fault is lifted first. */
  cutOffIn(ms: number, how: 'close' | 'reset'): void;
  /** Resets the connection now. */
  reset(): void;
  /** The connection closes once the pieces let through so far have left. */
  closeAfterQueued(): void;
}

interface Described {
  readonly attributes: Readonly<Record<string, AttributeRule>>;
  /** `latency 300 ms`: what it does, for views (the direction and the toxicity are added around it). */
  describe(a: Attributes): string;
}

/** A fault on a connection's bytes, in either mode; each hook is optional. */
export interface ConnectionFaultType extends Described {
  readonly on: 'connection';
  /** As its stage opens. */
  start?(a: Attributes, stage: StageControl): void;
  /** At the direction's first bytes; true when they must not pass. */
  firstData?(a: Attributes, stage: StageControl): boolean;
  /** The pieces passing, in order; it may delay, cut, drop or slice them. */
  shape?(pieces: Piece[], a: Attributes, memory: FaultMemory, stage: StageControl): Piece[];
  /** How long after the last piece the direction's end goes; `Infinity` holds it while the fault is on. */
  endDelay?(a: Attributes): number;
}

/** A fault on requests, in HTTP mode: drawn per request, and the backend is not contacted. */
export interface RequestFaultType extends Described {
  readonly on: 'request';
}

export type FaultTypeDefinition = ConnectionFaultType | RequestFaultType;

/** Delays each piece by `delay()` ms from its due time, never before the piece before it. */
export function delayInOrder(pieces: Piece[], memory: FaultMemory, delay: () => number): Piece[] {
  let last = memory.last ?? 0;
  for (const piece of pieces) {
    last = Math.max(last, piece.due + delay());
    piece.due = last;
  }
  memory.last = last;
  return pieces;
}

/** Cuts pieces into chunks of `size()` bytes at most, each keeping its piece's due time. */
export function split(pieces: Piece[], size: () => number): Piece[] {
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
