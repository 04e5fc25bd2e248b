// Where an HTTP/1.x message's body ends, found while its bytes stream by: a length counted down, or
// chunked encoding scanned (never decoded: the bytes pass as they came), or the connection's end.

/** How a body is delimited (RFC 9112, section 6). */
export type Framing = 'none' | 'length' | 'chunked' | 'close';

const enum Chunk {
  SizeStart,
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  Trailer,
  TrailerLf,
  EndLf,
}

/** More hex digits than this in a chunk size is an attack (or a body no one should stream through a dev balancer). */
const MAX_SIZE_DIGITS = 12;
const CR = 13;
const LF = 10;

/**
 * One message's body, scanned piece by piece. Strict where smuggling hides: a chunk size is hex
 * digits only, every line ends in CRLF, a bare LF is malformed.
 */
export class BodyCursor {
  framing: Framing = 'none';
  /** Bytes left in a body of known length, or in the current chunk. */
  private remaining = 0;
  private state = Chunk.SizeStart;
  private digits = 0;
  /** The body was malformed; `scan` returned -1. */
  malformed = false;

  get done(): boolean {
    return this.framing === 'none';
  }

  /** Starts the next body; `length` only counts for `length` framing. */
  start(framing: Framing, length = 0): void {
    this.framing = framing === 'length' && length === 0 ? 'none' : framing;
    this.remaining = length;
    this.state = Chunk.SizeStart;
    this.digits = 0;
    this.malformed = false;
  }

  /**
   * Takes `bytes` from `from` on as body: returns where the body ended in them (its end when it did
   * not end there), or -1 when the chunked encoding is malformed.
   */
  scan(bytes: Buffer, from: number): number {
    const end = bytes.length;
    switch (this.framing) {
      case 'none':
        return from;
      case 'close':
        return end;
      case 'length': {
        const take = Math.min(this.remaining, end - from);
        this.remaining -= take;
        if (this.remaining === 0) this.framing = 'none';
        return from + take;
      }
      case 'chunked':
        return this.scanChunked(bytes, from, end);
    }
  }

  private scanChunked(bytes: Buffer, from: number, end: number): number {
    let i = from;
    while (i < end) {
      const byte = bytes[i];
      switch (this.state) {
        case Chunk.SizeStart:
        case Chunk.Size: {
          const digit = hexValue(byte);
          if (digit >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) return this.fail();
            this.remaining = this.remaining * 16 + digit;
            this.state = Chunk.Size;
          } else if (this.state === Chunk.Size && (byte === 0x3b || byte === 0x20 || byte === 0x09)) {
            this.state = Chunk.Extension;
          } else if (this.state === Chunk.Size && byte === CR) {
            this.state = Chunk.SizeLf;
          } else {
            return this.fail();
          }
          i++;
          break;
        }
        case Chunk.Extension:
          if (byte === LF) return this.fail();
          if (byte === CR) this.state = Chunk.SizeLf;
          i++;
          break;
        case Chunk.SizeLf:
          if (byte !== LF) return this.fail();
          this.digits = 0;
          this.state = this.remaining === 0 ? Chunk.TrailerStart : Chunk.Data;
          i++;
          break;
        case Chunk.Data: {
          const take = Math.min(this.remaining, end - i);
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.state = Chunk.DataCr;
          break;
        }
        case Chunk.DataCr:
          if (byte !== CR) return this.fail();
          this.state = Chunk.DataLf;
          i++;
          break;
        case Chunk.DataLf:
          if (byte !== LF) return this.fail();
          this.state = Chunk.SizeStart;
          i++;
          break;
        case Chunk.TrailerStart:
          if (byte === LF) return this.fail();
          this.state = byte === CR ? Chunk.EndLf : Chunk.Trailer;
          i++;
          break;
        case Chunk.Trailer:
          if (byte === LF) return this.fail();
          if (byte === CR) this.state = Chunk.TrailerLf;
          i++;
          break;
        case Chunk.TrailerLf:
          if (byte !== LF) return this.fail();
          this.state = Chunk.TrailerStart;
          i++;
          break;
        case Chunk.EndLf:
          if (byte !== LF) return this.fail();
          this.framing = 'none';
          return i + 1;
      }
    }
    return end;
  }

  private fail(): -1 {
    this.malformed = true;
    return -1;
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}
