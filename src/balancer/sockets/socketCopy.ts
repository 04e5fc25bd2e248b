// The socket path's copying: a connection's bytes both ways, with backpressure and half-close.
import type { Socket } from 'node:net';
import type { Closed } from '../dataPath';
import type { BackendFaults, LinkFaults, OpenLink } from '../faults/backendFaults';
import type { FaultStage } from '../faults/faultStage';
import { IdleTimeoutError } from '../errors';
import type { Fault, FaultStream } from '../types';

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
export function copyBothWays(
  client: Socket,
  backendSide: Socket,
  idleTimeoutMs: number,
  done: Closed,
  replies: ReplyReads | undefined,
  link?: LinkFaults,
  backendFaults?: BackendFaults,
): void {
  let firstError: Error | undefined;
  let backendError: Error | undefined;
  let open = 2;
  /** The socket closed once both of its directions were done: it finished as cleanly as one that shut down. */
  let closedWhenDone: Socket | undefined;
  /** Each direction's stage, once it has faults (from the start, or added while open). */
  const stages: Partial<Record<FaultStream, FaultStage>> = {};
  /** A stage holds too much of that direction: its source is not read until it says so. */
  const held: Record<FaultStream, boolean> = { upstream: false, downstream: false };
  const recordError = (error: Error): void => {
    firstError ??= error;
  };
  // A fault added to the backend while this connection is open joins its direction.
  const openLink: OpenLink | undefined = backendFaults && {
    addFault: (fault) => {
      const stage = stages[fault.stream];
      if (stage) stage.add(fault);
      else {
        link ??= backendFaults.linkFaults();
        const [from, to] = fault.stream === 'upstream' ? [client, backendSide] : [backendSide, client];
        attach(fault.stream, stageOf(fault.stream, from, to, [fault]));
      }
    },
  };
  if (openLink) backendFaults?.open.add(openLink);
  const onClose = (socket: Socket, peer: Socket) => (): void => {
    if (socket !== closedWhenDone && !(socket.readableEnded && socket.writableFinished)) abort(peer);
    if (--open > 0) return;
    if (openLink) backendFaults?.open.delete(openLink);
    link?.close();
    done(firstError, backendError);
  };
  /** `from`'s end becomes `to`'s. */
  const endOf = (to: Socket) => (): void => {
    // `to` has sent its own FIN and has nothing queued: closing it sends ours with one system
    // call less than a shutdown (no reply can come any more, so the kernel closes with a FIN).
    if (to.readableEnded && to.writableLength === 0) {
      closedWhenDone = to;
      to.destroy();
    } else {
      to.end();
    }
  };
  /** The stage `from`'s bytes pass on their way to `to` through `faults` (this direction's, unless given). */
  const stageOf = (stream: FaultStream, from: Socket, to: Socket, faults?: Fault[]): FaultStage | undefined =>
    link?.stage(
      stream,
      {
        write: (chunk) => {
          if (to === client && replies?.replied) {
            replies.replied();
            replies.replied = undefined;
          }
          if (!to.destroyed && !to.write(chunk)) from.pause();
        },
        end: endOf(to),
        pauseSource: () => {
          held[stream] = true;
          from.pause();
        },
        resumeSource: () => {
          held[stream] = false;
          from.resume();
        },
        // An RST to the client; its backend is reset when the client's socket has closed.
        reset: () => abort(client),
        close: () => {
          client.destroy();
          backendSide.destroy();
        },
      },
      faults,
    );
  /** From now on, `stream`'s bytes pass `stage`. */
  const attach = (stream: FaultStream, stage: FaultStage | undefined): void => {
    if (!stage) return;
    stages[stream] = stage;
    if (stream === 'upstream') return;
    // Backend to client: `repliesTo` reads them, and hands them to the stage; the client's drain resumes them.
    if (replies) replies.stage = stage;
    client.on('drain', () => {
      if (!held.downstream) backendSide.resume();
    });
  };
  /** `from`'s end becomes `to`'s, through `stream`'s stage once it has one. */
  const endsWith = (from: Socket, to: Socket, stream: FaultStream): void => {
    if (link) attach(stream, stageOf(stream, from, to));
    const end = endOf(to);
    const ended = (): void => {
      const stage = stages[stream];
      if (stage) stage.end();
      else end();
    };
    // A client may have sent its FIN while the backend was being connected.
    if (from.readableEnded) ended();
    else from.on('end', ended);
  };
  // Client to backend: the chunks, or their stage. Does what `pipe` does for two sockets with a
  // fraction of its listeners, which matters when connections last a single request.
  client.on('data', (chunk: Buffer) => {
    const stage = stages.upstream;
    if (stage) stage.push(chunk);
    else if (!backendSide.write(chunk)) client.pause();
  });
  backendSide.on('drain', () => {
    if (!held.upstream) client.resume();
  });
  endsWith(client, backendSide, 'upstream');
  endsWith(backendSide, client, 'downstream');
  client.on('error', recordError);
  backendSide.on('error', (error) => {
    backendError ??= error;
    recordError(error);
  });
  client.on('close', onClose(client, backendSide));
  backendSide.on('close', onClose(backendSide, client));
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
 * Closes a socket with a TCP reset, which tells the other end that data was cut off (a FIN would
 * make a truncated stream look complete). A socket still connecting is simply destroyed, and so is
 * one whose FIN is on its way: libuv refuses to reset it then, and Node would leave it open for good.
 */
export function abort(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.connecting || (socket.writableEnded && !socket.writableFinished)) socket.destroy();
  else socket.resetAndDestroy();
}
