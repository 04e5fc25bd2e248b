// One end of a connection on a raw TCP handle: reading into a shared buffer, writing to its peer
// with backpressure, half-close, reset and close, and the counts the engine reads.
import type { Side } from '../dataPath';
import type { FaultStage } from '../faults/faultStage';
import { uvError, type Bindings, type ShutdownRequest, type TcpHandle, type WriteRequest } from './bindings';

/** Every handle reads into this one buffer and writes what it read on at once: an idle connection holds no buffer. */
const SHARED_READ_BYTES = 64 * 1024;
/**
 * Up to this size, bytes read into the shared buffer are written as a latin1 string: Node writes from
 * its stack and copies only a tail the kernel did not take, so the shared buffer is free at once.
 */
const STRING_WRITE_MAX = 16 * 1024;

/** What the copy between two sides learns from each of them. */
export interface SideEvents {
  /** Bytes moved: the connection is not idle. */
  active(): void;
  /** `side` received its peer's end (EOF). */
  ended(side: HandleSide): void;
  /** `side` failed: a read or write error. The side closes after this. */
  failed(side: HandleSide, error: Error): void;
  /** `side`'s handle is closed; `clean` when both of its directions had finished. */
  closed(side: HandleSide, clean: boolean): void;
  /** Everything written to the side has gone out (HTTP mode, which writes to sides itself). */
  drained?(): void;
  /** The first bytes are being written to `side`. */
  writing?(side: HandleSide): void;
}

let bindings: Bindings;
let sharedBuffer: Buffer;
/** A write request not handed to libuv yet: one that completed at once is used again. */
let spareWrite: WriteRequest | undefined;

/** Called once the bindings are known to work. */
export function useBindings(loaded: Bindings): void {
  bindings = loaded;
  sharedBuffer ??= Buffer.allocUnsafeSlow(SHARED_READ_BYTES);
}

export class HandleSide implements Side {
  bytesRead = 0;
  bytesWritten = 0;
  /** Where read bytes go; until there is one, they are held (a client whose backend is being connected). */
  peer?: HandleSide;
  /** A refused client: what it sends is read and dropped. */
  discarding = false;
  /** Bytes a client sent before its backend was connected, written to the backend first. */
  held?: Buffer;
  /** The faults its bytes pass on their way to the peer, when the connection got any. */
  stage?: FaultStage;
  /** The stage holds too much: not read until it says so, whatever the peer does. */
  private stageHolds = false;
  /** Told of this side's data, end, failure and close, while it is copied. */
  events?: SideEvents;
  /** Takes each read instead of a peer (HTTP mode), copied out of the shared buffer. */
  receiver?: (chunk: Buffer) => void;
  connecting = false;
  /** The peer's end has been read (EOF). */
  readEnded = false;
  /** Our end was asked for (a shutdown, or a close once nothing was left to send). */
  writeEnded = false;
  writeFinished = false;
  /** Closed or being closed: nothing more is done with the handle. */
  closing = false;
  /** Writes libuv has queued and not finished. */
  pendingWrites = 0;
  /** Bytes of a bulk transfer: read into a buffer of this side's own, written without a copy. */
  private ownBuffer?: Buffer;
  private reading = false;
  private paused = false;
  private listeners?: Array<() => void>;

  constructor(readonly handle: TcpHandle) {
    handle.owner = this;
    handle.onread = onRead;
    handle.useUserBuffer(sharedBuffer);
  }

  onClose(listener: () => void): void {
    (this.listeners ??= []).push(listener);
  }

  offClose(listener: () => void): void {
    const at = this.listeners?.indexOf(listener) ?? -1;
    if (at >= 0) this.listeners?.splice(at, 1);
  }

  startReading(): void {
    this.paused = false;
    if (this.reading || this.readEnded || this.closing) return;
    this.reading = true;
    const status = this.handle.readStart();
    if (status < 0) this.fail(uvError(status, 'read'));
  }

  /** Backpressure: stops reading until the peer has written what it holds. */
  pause(): void {
    if (!this.reading) return;
    this.reading = false;
    this.paused = true;
    this.handle.readStop();
  }

  resume(): void {
    if (!this.paused || this.stageHolds) return;
    this.paused = false;
    this.startReading();
  }

  /** Backpressure from the fault stage: its own, on top of the peer's. */
  holdForStage(hold: boolean): void {
    this.stageHolds = hold;
    if (hold) this.pause();
    else this.resume();
  }

  /** Sends our end (FIN) once what is queued is written; closes instead when the other way is done too. */
  endWrite(): void {
    if (this.writeEnded || this.closing) return;
    this.writeEnded = true;
    if (this.readEnded && this.pendingWrites === 0) {
      // Nothing left either way: a close sends the FIN with one system call less than a shutdown.
      this.writeFinished = true;
      this.close();
      return;
    }
    const request = bindings.newShutdownRequest();
    request.owner = this;
    request.oncomplete = onShutdown;
    const status = this.handle.shutdown(request);
    // 1: finished at once, and `oncomplete` will not be called.
    if (status === 1) this.shutDown(0);
    else if (status !== 0) this.fail(uvError(status, 'shutdown'));
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.reading = false;
    this.handle.close(() => this.closed());
  }

  /** Closes with a TCP reset (the other end learns it was cut off); closes one still connecting or whose FIN is on its way, which libuv cannot reset. */
  abort(): void {
    if (this.closing) return;
    if (this.connecting || (this.writeEnded && !this.writeFinished)) {
      this.close();
      return;
    }
    this.closing = true;
    this.reading = false;
    if (this.handle.reset(() => this.closed()) !== 0) this.handle.close(() => this.closed());
  }

  fail(error: Error): void {
    if (this.closing) return;
    this.events?.failed(this, error);
    this.close();
  }

  /** Writes `bytes` bytes of `buffer` to this side; `shared` when they are in the shared buffer. */
  write(buffer: Buffer, bytes: number, shared: boolean): void {
    if (this.bytesWritten === 0) this.events?.writing?.(this);
    const request = spareWrite ?? newWriteRequest();
    request.owner = this;
    const status = shared
      ? this.handle.writeLatin1String(request, buffer.toString('latin1', 0, bytes))
      : this.handle.writeBuffer(request, bytes === buffer.length ? buffer : buffer.subarray(0, bytes));
    if (status !== 0) {
      spareWrite = request;
      this.fail(uvError(status, 'write'));
      return;
    }
    this.bytesWritten += bytes;
    if (bindings.state[bindings.LAST_WRITE_WAS_ASYNC]) {
      // libuv holds the request, and points into a buffer's bytes, until `onWriteComplete`.
      spareWrite = undefined;
      if (!shared) request.buffer = buffer;
      this.pendingWrites++;
    } else {
      spareWrite = request;
    }
  }

  /** `bytes` bytes were read into the buffer: on to the peer. Returns a new buffer for the next reads, if any. */
  received(bytes: number): Buffer | undefined {
    this.bytesRead += bytes;
    const peer = this.peer;
    this.events?.active();
    if (this.receiver) {
      this.receiver(Buffer.from(sharedBuffer.subarray(0, bytes)));
      return undefined;
    }
    if (!peer) {
      if (!this.discarding) this.hold(bytes);
      return undefined;
    }
    if (peer.closing) return undefined;
    const own = this.ownBuffer;
    const stage = this.stage;
    if (stage) {
      // The stage keeps the bytes for later: they leave the shared buffer now.
      stage.push(Buffer.from((own ?? sharedBuffer).subarray(0, bytes)));
      if (peer.pendingWrites > 0) this.pause();
      return undefined;
    }
    let next: Buffer | undefined;
    if (own) {
      peer.write(own, bytes, false);
    } else if (bytes <= STRING_WRITE_MAX) {
      peer.write(sharedBuffer, bytes, true);
    } else {
      // A bulk transfer: this chunk is copied once, the next ones are read into a buffer of our own.
      peer.write(Buffer.from(sharedBuffer.subarray(0, bytes)), bytes, false);
      next = this.ownBuffer = Buffer.allocUnsafeSlow(SHARED_READ_BYTES);
    }
    // Our own buffer must not be read into again before libuv has sent it.
    if (peer.pendingWrites > 0) this.pause();
    return next;
  }

  /** Keeps what a client sent while its backend is connected; read on (so that one that leaves is seen to) up to a buffer's worth. */
  private hold(bytes: number): void {
    const read = sharedBuffer.subarray(0, bytes);
    this.held = this.held ? Buffer.concat([this.held, read]) : Buffer.from(read);
    if (this.held.length >= SHARED_READ_BYTES) this.pause();
  }

  /** A read ended in `status`: the peer's end (EOF) or an error. */
  readFailed(status: number): void {
    this.reading = false;
    if (status !== bindings.EOF) {
      this.fail(uvError(status, 'read'));
      return;
    }
    this.readEnded = true;
    this.events?.ended(this);
    if (this.writeFinished) this.close();
  }

  /** A write libuv had queued is done. */
  written(status: number): void {
    this.pendingWrites--;
    if (this.closing) return;
    if (status < 0) {
      this.fail(uvError(status, 'write'));
      return;
    }
    if (this.pendingWrites > 0) return;
    this.peer?.resume();
    this.events?.drained?.();
  }

  shutDown(status: number): void {
    if (this.closing) return;
    if (status < 0) {
      this.fail(uvError(status, 'shutdown'));
      return;
    }
    this.writeFinished = true;
    if (this.readEnded) this.close();
  }

  private closed(): void {
    this.events?.closed(this, this.readEnded && this.writeFinished);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}

function newWriteRequest(): WriteRequest {
  const request = bindings.newWriteRequest();
  request.oncomplete = onWriteComplete;
  return request;
}

function onRead(this: TcpHandle): Uint8Array | undefined {
  const side = this.owner as HandleSide;
  const bytes = bindings.state[bindings.READ_BYTES_OR_ERROR];
  if (bytes > 0) return side.closing ? undefined : side.received(bytes);
  if (bytes < 0 && !side.closing) side.readFailed(bytes);
  return undefined;
}

function onWriteComplete(this: WriteRequest, status: number): void {
  this.buffer = undefined;
  (this.owner as HandleSide).written(status);
}

function onShutdown(this: ShutdownRequest, status: number): void {
  (this.owner as HandleSide).shutDown(status);
}
