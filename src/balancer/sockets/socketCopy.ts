// The socket path's copying: a connection's bytes both ways, with backpressure and half-close.
import type { Socket } from 'node:net';
import type { Closed } from '../dataPath';
import type { LinkFaults } from '../faults/backendFaults';
import type { FaultStage } from '../faults/faultStage';
import { IdleTimeoutError } from '../errors';
import type { FaultStream } from '../types';

/** What a backend socket reads into at first: enough for a typical reply, little for an idle connection. */
const FIRST_READ_BYTES = 2048;
/** What it reads into once a read filled the first buffer: a bulk transfer. */
const BULK_READ_BYTES = 64 * 1024;
/**
 * Backend sockets read into this one buffer until their second read with data, so that an idle
 * connection, or one of a single reply, never holds a buffer of its own (docs/benchmarks.md). The
 * first read's bytes are the first written to their client: its kernel buffer (4.5 KB at the
 * least) is empty and takes them at once; should it not, the connection is reset rather than let
 * another read overwrite bytes still waiting to be sent. Later bytes read into it are written out
 * of a copy.
 */
const firstReads = Buffer.allocUnsafe(FIRST_READ_BYTES);
/** What a backend socket is given as `onread`. */
export interface ReplyReads {
  buffer: () => Buffer;
  callback: (bytes: number, buffer: Buffer) => boolean;
  /** Faults the replies pass, when the connection got any: they get a copy of each read. */
  stage?: FaultStage;
  /** Called as the backend's first bytes are written to the client, once (by the stage, if there is one). */
  replied?: () => void;
}

/**
 * Replies are most of the bytes a balancer moves. Reading them into a buffer the connection keeps
 * (after the shared one) and writing them on at once skips the allocation and stream events of each
 * read. The buffer is reused only once the client has taken all of it; until then the backend is
 * not read. Given as `onread` when the backend socket is created.
 */
export function repliesTo(client: Socket, backendSide: () => Socket): ReplyReads {
  let own: Buffer | undefined;
  let firstRead = true;
  let waiting = false;
  const written = (error?: Error | null): void => {
    // Callbacks of earlier writes come late: the buffer is free only when nothing is queued.
    if (waiting && !error && client.writableLength === 0) {
      waiting = false;
      backendSide().resume();
    }
  };
  const reads: ReplyReads = {
    buffer: () => own ?? firstReads,
    callback: (bytes, chunk) => {
      // A read that fills its buffer is part of a bulk transfer: the next ones get a bigger one.
      if (bytes === chunk.length && chunk.length < BULK_READ_BYTES) own = Buffer.allocUnsafe(BULK_READ_BYTES);
      if (client.destroyed) return false;
      if (reads.stage) {
        reads.stage.push(Buffer.from(chunk.subarray(0, bytes)));
        return true;
      }
      let data = chunk.subarray(0, bytes);
      if (chunk === firstReads) {
        if (firstRead) {
          firstRead = false;
          reads.replied?.();
          client.write(data, written);
          if (client.writableLength === 0) return true;
          abort(client);
          return false;
        }
        data = Buffer.from(data);
        own ??= Buffer.allocUnsafe(FIRST_READ_BYTES);
      }
      client.write(data, written);
      if (client.writableLength === 0) return true;
      waiting = true;
      return false;
    },
  };
  return reads;
}

/**
 * Copies bytes both ways until both directions are finished, with backpressure, and (the sockets
 * being `allowHalfOpen`) forwards each direction's end on its own, so a client that shuts down its
 * write side still gets the whole reply. (The replies' bytes already flow: `repliesTo`.)
 * A socket that closes without finishing both directions (reset, error, timeout) aborts its peer,
 * so the other end learns that the stream was cut rather than complete; a socket that finished
 * cleanly lets its peer flush what is still queued.
 * `done` runs once, after both sockets have closed, with the first error seen and the backend's.
 */
export function copyBothWays(client: Socket, backendSide: Socket, idleTimeoutMs: number, done: Closed, faults?: { link: LinkFaults; replies?: ReplyReads }): void {
  let firstError: Error | undefined;
  let backendError: Error | undefined;
  let open = 2;
  /** The socket closed once both of its directions were done: it finished as cleanly as one that shut down. */
  let closedWhenDone: Socket | undefined;
  const recordError = (error: Error): void => {
    firstError ??= error;
  };
  const onClose = (socket: Socket, peer: Socket) => (): void => {
    if (socket !== closedWhenDone && !(socket.readableEnded && socket.writableFinished)) abort(peer);
    if (--open > 0) return;
    faults?.link.close();
    done(firstError, backendError);
  };
  /** The stage `from`'s bytes pass on their way to `to`, when this direction got faults; it passes the end with `end`. */
  const stageFor = (stream: FaultStream, from: Socket, to: Socket, end: () => void): FaultStage | undefined => {
    if (!faults) return undefined;
    let held = false;
    const stage = faults.link.stage(stream, {
      write: (chunk) => {
        const replies = faults.replies;
        if (to === client && replies?.replied) {
          replies.replied();
          replies.replied = undefined;
        }
        if (!to.destroyed && !to.write(chunk)) from.pause();
      },
      end,
      pauseSource: () => {
        held = true;
        from.pause();
      },
      resumeSource: () => {
        held = false;
        from.resume();
      },
      // An RST to the client; its backend is reset when the client's socket has closed.
      reset: () => abort(client),
      close: () => {
        client.destroy();
        backendSide.destroy();
      },
    });
    if (stage) {
      to.on('drain', () => {
        if (!held) from.resume();
      });
    }
    return stage;
  };
  /** `from`'s end becomes `to`'s, through `from`'s stage if `stream` got faults. */
  const endsWith = (from: Socket, to: Socket, stream: FaultStream): void => {
    const end = (): void => {
      // `to` has sent its own FIN and has nothing queued: closing it sends ours with one system
      // call less than a shutdown (no reply can come any more, so the kernel closes with a FIN).
      if (to.readableEnded && to.writableLength === 0) {
        closedWhenDone = to;
        to.destroy();
      } else {
        to.end();
      }
    };
    const stage = stageFor(stream, from, to, end);
    if (stage && from === backendSide && faults?.replies) faults.replies.stage = stage;
    if (stage && from === client) from.on('data', (chunk: Buffer) => stage.push(chunk));
    else if (from === client) forward(client, backendSide);
    const ended = stage ? () => stage.end() : end;
    // A client may have sent its FIN while the backend was being connected.
    if (from.readableEnded) ended();
    else from.on('end', ended);
  };
  client.on('error', recordError);
  backendSide.on('error', (error) => {
    backendError ??= error;
    recordError(error);
  });
  client.on('close', onClose(client, backendSide));
  backendSide.on('close', onClose(backendSide, client));
  endsWith(client, backendSide, 'upstream');
  endsWith(backendSide, client, 'downstream');
  // A client HTTP mode handed over (TLS, HTTP/2) was paused while its backend was connected.
  if (client.readableFlowing === false) client.resume();
  if (idleTimeoutMs > 0) {
    // Every byte in either direction passes through the client socket, so its idleness is the pair's.
    client.setTimeout(idleTimeoutMs, () => {
      recordError(new IdleTimeoutError(idleTimeoutMs));
      client.destroy();
    });
  }
}

/**
 * The client-to-backend direction of `copyBothWays`. Does what `pipe` does for two sockets with a
 * fraction of its listeners, which matters when connections last a single request: a reader that
 * stops reading pauses the source.
 */
function forward(from: Socket, to: Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
}

/**
 * Closes a socket with a TCP reset, which tells the other end that data was cut off (a FIN would
 * make a truncated stream look complete). A socket still connecting is simply destroyed, and so is
 * one whose FIN is on its way: libuv refuses to reset it then, and Node would leave it open for good.
 */
export function abort(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting || (socket.writableEnded && !socket.writableFinished)) socket.destroy();
  else socket.resetAndDestroy();
}
