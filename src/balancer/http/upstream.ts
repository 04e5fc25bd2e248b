// Connections to backends in HTTP mode: opened with a connect timeout (and the other loopback
// address when one refuses), then kept in a pool per backend between requests.
import { connect, type Socket } from 'node:net';
import { formatAddress } from '../address';
import type { Backend } from '../backend';
import { Deadlines, type Deadline } from '../deadlines';
import type { LinkFaults } from '../faults/backendFaults';
import { FaultStage, type StageOutput } from '../faults/faultStage';
import { otherLoopback } from '../hosts';
import { isRefused } from '../socketErrors';

/** Idle connections kept per backend; more are closed at once. */
const MAX_IDLE_PER_BACKEND = 64;
/**
 * An idle connection is closed after this long, before the backend would close it (gunicorn's
 * keep-alive is 2 s, Node's 5 s, uvicorn's 5 s): a request then never meets a connection that is
 * closing. Should one anyway, the request is retried once on a fresh connection.
 */
export const POOL_IDLE_MS = 1500;

/** The session a connection serves: it gets the connection's events while it is the user. */
export interface UpstreamUser {
  upstreamData(chunk: Buffer): void;
  upstreamEnded(): void;
  upstreamClosed(upstream: Upstream): void;
  upstreamDrained(): void;
  /** A `reset_peer` fault fired: the client is reset. */
  upstreamReset(): void;
}

/**
 * One connection to a backend; its listeners are made once and pass events to whoever uses it.
 * A connection that got faults (drawn when it opened) passes its bytes through their stages.
 */
export class Upstream {
  user?: UpstreamUser;
  /** The first error the socket reported. */
  error?: Error;
  /** It served a request before: the backend may have closed it meanwhile. */
  reused = false;
  idle?: Deadline;
  /** A fault stage holds the session's bytes: it waits for `upstreamDrained`. */
  private held = false;
  private toBackend?: FaultStage;
  private fromBackend?: FaultStage;
  private faults?: LinkFaults;
  /** The socket closed after its end while the downstream stage still held bytes: the close waits for them. */
  private closeAfterStage = false;

  constructor(
    readonly backend: Backend,
    readonly socket: Socket,
    reads: Reads,
    private readonly pool: KeepAlivePool,
    faults?: LinkFaults,
  ) {
    if (faults) this.stage(faults);
    // Idle (no user), anything the backend sends or its end closes the connection.
    reads.deliver = (chunk) => {
      if (this.fromBackend) this.fromBackend.push(chunk);
      else if (this.user) this.user.upstreamData(chunk);
      else socket.destroy();
    };
    socket.on('end', () => {
      if (this.fromBackend) this.fromBackend.end();
      else if (this.user) this.user.upstreamEnded();
      else socket.destroy();
    });
    socket.on('drain', () => this.user?.upstreamDrained());
    socket.on('error', (error) => {
      this.error ??= error;
    });
    socket.on('close', () => {
      if (this.fromBackend && socket.readableEnded && !this.error && this.user) this.closeAfterStage = true;
      else this.closed();
    });
  }

  /** Sends bytes to the backend; false when they wait (the socket's buffer or a fault stage is full). */
  write(bytes: Buffer | string): boolean {
    if (!this.toBackend) return typeof bytes === 'string' ? this.socket.write(bytes, 'latin1') : this.socket.write(bytes);
    this.toBackend.push(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    return !this.held;
  }

  private closed(): void {
    this.disposeStages();
    if (this.user) this.user.upstreamClosed(this);
    else this.pool.forget(this);
  }

  private stage(faults: LinkFaults): void {
    const socket = this.socket;
    const cut = (): void => {
      this.user?.upstreamReset();
      socket.destroy();
    };
    const close = (): void => {
      socket.destroy();
    };
    if (faults.upstream.length > 0) {
      this.toBackend = this.register(faults, faults.upstream, {
        write: (chunk) => void (socket.destroyed || socket.write(chunk)),
        end: () => socket.end(),
        pauseSource: () => (this.held = true),
        resumeSource: () => {
          this.held = false;
          this.user?.upstreamDrained();
        },
        reset: cut,
        close,
      });
    }
    if (faults.downstream.length > 0) {
      this.fromBackend = this.register(faults, faults.downstream, {
        write: (chunk) => (this.user ? this.user.upstreamData(chunk) : socket.destroy()),
        end: () => {
          this.user?.upstreamEnded();
          if (this.closeAfterStage) this.closed();
        },
        pauseSource: () => socket.pause(),
        resumeSource: () => socket.resume(),
        reset: cut,
        close,
      });
    }
  }

  /** A stage of this connection, registered with its backend's faults so that removing one lifts it. */
  private register(faults: LinkFaults, list: LinkFaults['upstream'], output: StageOutput): FaultStage {
    this.faults = faults;
    const stage = new FaultStage(list, output);
    faults.stages.add(stage);
    return stage;
  }

  private disposeStages(): void {
    for (const stage of [this.toBackend, this.fromBackend]) {
      if (!stage) continue;
      stage.dispose();
      this.faults?.stages.delete(stage);
    }
  }
}

/** Idle connections per backend, the most recently used first. */
export class KeepAlivePool {
  private readonly idle = new Map<Backend, Upstream[]>();
  private readonly deadlines = new Deadlines();

  /** An idle connection to `backend`, taken out of the pool. */
  take(backend: Backend): Upstream | undefined {
    const upstream = this.idle.get(backend)?.pop();
    if (!upstream) return undefined;
    if (upstream.idle) this.deadlines.cancel(upstream.idle);
    backend.pooled--;
    upstream.reused = true;
    return upstream;
  }

  /** Keeps a connection whose answer ended cleanly, for the backend's next request. */
  release(upstream: Upstream, closing: boolean): void {
    const { backend, socket } = upstream;
    upstream.user = undefined;
    let list = this.idle.get(backend);
    if (closing || socket.destroyed || !backend.available || (list?.length ?? 0) >= MAX_IDLE_PER_BACKEND) {
      socket.destroy();
      return;
    }
    if (!list) this.idle.set(backend, (list = []));
    // Paused while its client was slow: idle, it must notice the backend closing it.
    socket.resume();
    list.push(upstream);
    backend.pooled++;
    upstream.idle = this.deadlines.set(POOL_IDLE_MS, () => socket.destroy());
  }

  /** Closes the idle connections of `backend`, or of every backend (the balancer stops, or faults changed). */
  closeIdle(backend?: Backend): void {
    for (const [owner, list] of this.idle) {
      if (backend === undefined || owner === backend) for (const upstream of [...list]) upstream.socket.destroy();
    }
  }

  /** An idle connection closed. */
  forget(upstream: Upstream): void {
    const list = this.idle.get(upstream.backend);
    const index = list ? list.indexOf(upstream) : -1;
    if (index < 0) return;
    list?.splice(index, 1);
    upstream.backend.pooled--;
    if (upstream.idle) this.deadlines.cancel(upstream.idle);
  }
}

const connectDeadlines = new Deadlines();

/** Where a backend connection's reads go: to its `Upstream`, once connected. */
export interface Reads {
  deliver(chunk: Buffer): void;
}

/**
 * Backends' answers are read into this one buffer and copied out at their size: left to itself,
 * Node gives every read a 64 KiB buffer of its own, which costs more than the copy.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024);
const ignore = (): void => {};

/**
 * Opens a connection to `backend`; `done` gets it, or why it could not be opened. A refused
 * loopback address gets the other one tried once (a server may listen on IPv4 or IPv6 only).
 */
export function openUpstream(
  backend: Backend,
  timeoutMs: number,
  track: (socket: Socket) => void,
  done: (error: Error | undefined, socket: Socket, reads: Reads) => void,
  host = backend.connectHost,
  otherTried = false,
): void {
  const reads: Reads = { deliver: ignore };
  const socket = connect({
    host,
    port: backend.spec.port,
    noDelay: true,
    onread: {
      buffer: readBuffer,
      callback: (bytes, buffer) => {
        reads.deliver(Buffer.from(buffer.subarray(0, bytes)));
        return true;
      },
    },
  });
  track(socket);
  const fail = (error: Error): void => {
    connectDeadlines.cancel(deadline);
    socket.removeListener('connect', connected);
    socket.destroy();
    const other = otherLoopback(host);
    if (!otherTried && other && isRefused(error)) openUpstream(backend, timeoutMs, track, done, other, true);
    else done(error, socket, reads);
  };
  const connected = (): void => {
    connectDeadlines.cancel(deadline);
    socket.removeListener('error', fail);
    backend.connectHost = host;
    done(undefined, socket, reads);
  };
  const deadline = connectDeadlines.set(timeoutMs, () => fail(new Error(`connect to ${formatAddress({ host, port: backend.spec.port })} timed out after ${timeoutMs} ms`)));
  socket.on('connect', connected);
  socket.on('error', fail);
}
