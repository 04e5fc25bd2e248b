// Connections to backends in HTTP mode: opened with a connect timeout (and the other loopback
// address when one refuses), then kept in a pool per backend between requests.
import { connect, type Socket } from 'node:net';
import { formatAddress } from '../address';
import type { Backend } from '../backend';
import { Deadlines, type Deadline } from '../deadlines';
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
}

/** One connection to a backend; its listeners are made once and pass events to whoever uses it. */
export class Upstream {
  user?: UpstreamUser;
  /** The first error the socket reported. */
  error?: Error;
  /** It served a request before: the backend may have closed it meanwhile. */
  reused = false;
  idle?: Deadline;

  constructor(
    readonly backend: Backend,
    readonly socket: Socket,
    pool: KeepAlivePool,
  ) {
    // Idle (no user), anything the backend sends or its end closes the connection.
    socket.on('data', (chunk: Buffer) => (this.user ? this.user.upstreamData(chunk) : socket.destroy()));
    socket.on('end', () => (this.user ? this.user.upstreamEnded() : socket.destroy()));
    socket.on('drain', () => this.user?.upstreamDrained());
    socket.on('error', (error) => {
      this.error ??= error;
    });
    socket.on('close', () => (this.user ? this.user.upstreamClosed(this) : pool.forget(this)));
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

  /** Closes every idle connection (the balancer stops). */
  closeAll(): void {
    for (const list of this.idle.values()) for (const upstream of [...list]) upstream.socket.destroy();
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

/**
 * Opens a connection to `backend`; `done` gets it, or why it could not be opened. A refused
 * loopback address gets the other one tried once (a server may listen on IPv4 or IPv6 only).
 */
export function openUpstream(
  backend: Backend,
  timeoutMs: number,
  track: (socket: Socket) => void,
  done: (error: Error | undefined, socket: Socket) => void,
  host = backend.connectHost,
  otherTried = false,
): void {
  const socket = connect({ host, port: backend.spec.port, noDelay: true });
  track(socket);
  const fail = (error: Error): void => {
    connectDeadlines.cancel(deadline);
    socket.removeListener('connect', connected);
    socket.destroy();
    const other = otherLoopback(host);
    if (!otherTried && other && isRefused(error)) openUpstream(backend, timeoutMs, track, done, other, true);
    else done(error, socket);
  };
  const connected = (): void => {
    connectDeadlines.cancel(deadline);
    socket.removeListener('error', fail);
    backend.connectHost = host;
    done(undefined, socket);
  };
  const deadline = connectDeadlines.set(timeoutMs, () => fail(new Error(`connect to ${formatAddress({ host, port: backend.spec.port })} timed out after ${timeoutMs} ms`)));
  socket.on('connect', connected);
  socket.on('error', fail);
}
