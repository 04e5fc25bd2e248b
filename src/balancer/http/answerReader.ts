// A backend's answer to one request, read as it streams in: interim answers, the final head, the
// body's bytes up to its end, or the switch to a tunnel after a 101.
import { BodyCursor } from './bodyFraming';
import { parseAnswerHead, type AnswerHead } from './answerHead';

/** What the reader finds, in order; the session decides what the client gets. */
export interface AnswerEvents {
  /**
   * The final answer's head, at `from` in `bytes`; its body follows through `pass`. Returns true
   * when the head is to go on as it is: it then comes with the body's first bytes, in one piece.
   */
  final(bytes: Buffer, from: number, answer: AnswerHead): boolean;
  /** Bytes to pass on as they are: an interim answer (100 Continue, 103 Early Hints), or the body's. */
  pass(bytes: Buffer): void;
  /** The answer ended; `trailing`: the backend sent bytes after it, so its connection cannot be trusted. */
  ended(trailing: boolean): void;
  /** A 101 to an upgrade request: `rest` (its head and what followed) goes to the client, then bytes are copied. */
  upgraded(rest: Buffer): void;
  /** Not HTTP/1.x: the reason, for a 502 or the log. */
  malformed(why: string): void;
}

export class AnswerReader {
  private method = 'GET';
  private upgrade = false;
  /** Bytes of a head not complete yet. */
  private input?: Buffer;
  /** An interim answer went to the client. */
  interimSent = false;
  /** The final head went to the client; the body streams. */
  inBody = false;
  readonly body = new BodyCursor();

  constructor(private readonly events: AnswerEvents) {}

  /** Nothing of the answer came yet: a request may still be sent again. */
  get untouched(): boolean {
    return !this.inBody && !this.interimSent && this.input === undefined;
  }

  /** Expects the answer to a `method` request (which asked for an upgrade, or not). */
  start(method: string, upgrade: boolean): void {
    this.method = method;
    this.upgrade = upgrade;
    this.input = undefined;
    this.interimSent = false;
    this.inBody = false;
  }

  push(chunk: Buffer): void {
    if (this.inBody) this.relay(chunk, 0);
    else {
      this.input = this.input ? Buffer.concat([this.input, chunk]) : chunk;
      this.readHead(this.input);
    }
  }

  /** The backend's end: ends a body that the end delimits; returns whether it did. */
  end(): boolean {
    if (!this.inBody || this.body.framing !== 'close') return false;
    this.inBody = false;
    this.events.ended(false);
    return true;
  }

  private readHead(bytes: Buffer): void {
    for (let from = 0; ; ) {
      const result = parseAnswerHead(bytes, from, this.method);
      if ('incomplete' in result) {
        this.input = from > 0 ? bytes.subarray(from) : bytes;
        return;
      }
      this.input = undefined;
      if ('malformed' in result) {
        this.events.malformed(result.malformed);
        return;
      }
      const answer = result.head;
      if (answer.status === 101) {
        if (this.upgrade) this.events.upgraded(bytes.subarray(from));
        else this.events.malformed('a 101 to a request that asked for no upgrade');
        return;
      }
      if (answer.status < 200) {
        this.interimSent = true;
        this.events.pass(bytes.subarray(from, answer.end));
        from = answer.end;
        continue;
      }
      this.inBody = true;
      this.body.start(answer.framing, answer.contentLength);
      const asItIs = this.events.final(bytes, from, answer);
      this.relay(bytes, answer.end, asItIs ? from : answer.end);
      return;
    }
  }

  /** The body's bytes from `from` on, passed on from `start` (before `from` when the head goes with them). */
  private relay(bytes: Buffer, from: number, start = from): void {
    const end = this.body.scan(bytes, from);
    if (end < 0) {
      this.events.malformed('a malformed chunked body');
      return;
    }
    if (end > start) this.events.pass(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
    if (!this.body.done || !this.inBody) return;
    this.inBody = false;
    this.events.ended(end < bytes.length);
  }
}
