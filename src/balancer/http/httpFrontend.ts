// HTTP mode's side of the engine: a session per client connection, the keep-alive pool, the
// requests counted, and what sessions need from the connector (the choice of backend) and the pool.
import type { Socket } from 'node:net';
import type { Backend } from '../backend';
import type { BackendPool } from '../backendPool';
import { Deadlines } from '../deadlines';
import type { Side } from '../dataPath';
import { emitLog, type Events } from '../log';
import type { ThrottledWarnings } from '../logThrottle';
import type { ResolvedOptions } from '../options';
import type { RequestInfo } from '../types';
import { HttpSession } from './httpSession';
import type { SessionContext } from './sessionContext';
import { RequestStats } from './requestStats';
import { KeepAlivePool, openUpstream, Upstream } from './upstream';

/** What HTTP mode uses of the connector: the choice of backend, TCP mode's path, and its books. */
export interface Balancing {
  pick(tried: ReadonlySet<Backend> | undefined): Backend | undefined;
  balance(client: Side): void;
  readonly open: { track(side: Side): void };
  readonly warnings: ThrottledWarnings;
}

/** How long a client that was told the connection ends may keep it open before it is closed. */
const LINGER_MS = 1000;

export class HttpFrontend implements SessionContext {
  readonly stats = new RequestStats();
  readonly upstreams = new KeepAlivePool();
  readonly sessions = new Set<HttpSession>();
  readonly headDeadlines = new Deadlines();
  readonly responseDeadlines = new Deadlines();
  private readonly lingering = new Deadlines();
  /** The balancer stops: answers end their connections, idle ones are closed. */
  draining = false;
  private readonly passedThrough = new Set<string>();

  constructor(
    private readonly events: Events,
    private readonly pool: BackendPool,
    private readonly options: ResolvedOptions,
    private readonly connector: Balancing,
  ) {}

  get sticky(): boolean {
    return this.options.sticky;
  }

  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  get idleTimeoutMs(): number {
    return this.options.idleTimeoutMs;
  }

  get responseTimeoutMs(): number {
    return this.options.responseTimeoutMs;
  }

  /** Serves a client; HTTP mode listens on the `net.Socket` path, so its sides are sockets. */
  readonly serve = (client: Side): void => {
    this.draining = false;
    this.sessions.add(new HttpSession(client as Socket, this));
  };

  pick(tried: ReadonlySet<Backend> | undefined, stickyId: string | undefined): Backend | undefined {
    if (stickyId !== undefined) {
      const sticky = this.pool.list.find((backend) => backend.id === stickyId);
      if (sticky?.available && !tried?.has(sticky)) return sticky;
    }
    return this.connector.pick(tried);
  }

  whyNone(): string {
    return this.pool.whyNone();
  }

  /** Counted as the backend's, and tracked so that a stop closes it. */
  open(backend: Backend, done: (error: Error | undefined, upstream?: Upstream) => void): void {
    openUpstream(
      backend,
      this.options.connectTimeoutMs,
      (socket) => this.connector.open.track(socket),
      (error, socket, reads) => {
        if (error) {
          done(error);
          return;
        }
        backend.connections.add(socket);
        backend.totalConnections++;
        socket.on('close', () => this.pool.connectionClosed(backend, socket));
        done(undefined, new Upstream(backend, socket, reads, this.upstreams, backend.faults.forConnection()));
      },
    );
  }

  connectFailed(backend: Backend, error: Error): void {
    this.pool.connectFailed(backend, error);
  }

  /** TLS and HTTP/2 cannot be read as HTTP/1.x: such a connection is balanced as in TCP mode, said once per protocol. */
  passThrough(client: Socket, firstBytes: Buffer, protocol: string): void {
    if (!this.passedThrough.has(protocol)) {
      this.passedThrough.add(protocol);
      const what = protocol === 'tls' ? 'TLS (HTTPS)' : 'HTTP/2';
      emitLog(this.events, 'info', `A ${what} connection from ${client.remoteAddress} is passed through as TCP, balanced per connection: HTTP mode reads HTTP/1.x only (said once)`);
    }
    client.removeAllListeners('data');
    client.removeAllListeners('end');
    client.removeAllListeners('drain');
    client.pause();
    client.unshift(firstBytes);
    this.connector.balance(client);
  }

  warn(kind: string, message: string): void {
    this.connector.warnings.warn(kind, () => message);
  }

  requestsChanged(): void {
    this.events.emit('connectionsChanged');
  }

  get requestsListened(): boolean {
    return this.events.listenerCount('request') > 0;
  }

  requestEnded(info: RequestInfo): void {
    this.events.emit('request', info);
  }

  readonly closeGracefully = (client: Socket): void => {
    if (client.destroyed) return;
    client.end();
    const deadline = this.lingering.set(LINGER_MS, () => client.destroy());
    client.once('close', () => this.lingering.cancel(deadline));
  };

  sessionClosed(session: HttpSession): void {
    this.sessions.delete(session);
  }

  /** The balancer stops: idle connections close now, busy ones after their answer. */
  drain(): void {
    this.draining = true;
    this.upstreams.closeIdle();
    for (const session of this.sessions) session.drain();
  }
}
