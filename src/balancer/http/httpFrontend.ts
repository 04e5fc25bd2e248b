// HTTP mode's side of the engine: a session per client connection, the keep-alive pool, the
// requests counted, and what sessions need from the connector (the choice of backend) and the backends.
import type { Backend } from '../backend';
import type { Backends } from '../backends';
import { Deadlines } from '../deadlines';
import type { Conn, Side } from '../dataPath';
import { emitLog, type Events } from '../log';
import type { ThrottledWarnings } from '../logThrottle';
import type { LiveSettings } from '../liveSettings';
import type { RequestInfo } from '../types';
import { HttpSession } from './httpSession';
import type { SessionContext } from './sessionContext';
import { RequestStats } from '../statistics/requestStats';
import { KeepAlivePool, BackendConnection } from './backendConnection';
import type { TrafficRecorder } from '../traffic/trafficRecorder';

/** What HTTP mode uses of the connector: the choice of backend, connections on the data path serving, TCP mode's copy, and its warnings. */
export interface Balancing {
  pick(tried: ReadonlySet<Backend> | undefined, source?: string): Backend | undefined;
  balance(client: Side): void;
  conn(client: Side): Conn;
  dialConn(backend: Backend, client: Side, done: (error: Error | undefined, conn: Conn) => void): void;
  readonly warnings: ThrottledWarnings;
}

export class HttpFrontend implements SessionContext {
  readonly stats = new RequestStats();
  readonly keepAlive = new KeepAlivePool();
  readonly sessions = new Set<HttpSession>();
  readonly headDeadlines = new Deadlines();
  readonly answerDeadlines = new Deadlines();
  readonly lingerDeadlines = new Deadlines();
  /** The balancer stops: answers end their connections, idle ones are closed. */
  draining = false;
  private readonly passedThrough = new Set<string>();

  constructor(
    private readonly events: Events,
    private readonly backends: Backends,
    /** Read at each request: timeouts and stickiness apply to the next one. */
    readonly settings: LiveSettings,
    private readonly connector: Balancing,
    readonly traffic: TrafficRecorder,
  ) {}

  /** Serves a client of the data path serving: a stream handle's side, or a socket. */
  readonly serve = (client: Side): void => {
    this.sessions.add(new HttpSession(this.connector.conn(client), this));
  };

  pick(tried: ReadonlySet<Backend> | undefined, stickyId: string | undefined, source: string): Backend | undefined {
    if (stickyId !== undefined) {
      const sticky = this.backends.list.find((backend) => backend.id === stickyId);
      if (sticky?.available && !tried?.has(sticky)) return sticky;
    }
    return this.connector.pick(tried, source);
  }

  whyNone(): string {
    return this.backends.whyNone();
  }

  /** On the data path serving; counted as the backend's, and tracked so that a stop closes it. */
  open(backend: Backend, client: Conn, done: (error: Error | undefined, connection?: BackendConnection) => void): void {
    this.connector.dialConn(backend, client.side, (error, conn) => {
      if (error) {
        done(error);
        return;
      }
      const side = conn.side;
      backend.stats.opened(side);
      done(undefined, new BackendConnection(backend, conn, this.keepAlive, () => this.backends.connectionClosed(backend, side), backend.faults.forConnection()));
    });
  }

  connectFailed(backend: Backend, error: Error): void {
    this.backends.connectFailed(backend, error);
  }

  /** TLS and HTTP/2 cannot be read as HTTP/1.x: such a connection is balanced as in TCP mode, said once per protocol. */
  passThrough(client: Conn, firstBytes: Buffer, protocol: string): void {
    if (!this.passedThrough.has(protocol)) {
      this.passedThrough.add(protocol);
      const what = protocol === 'tls' ? 'TLS (HTTPS)' : 'HTTP/2';
      emitLog(this.events, 'info', `A ${what} connection from ${client.remote().host} is passed through as TCP, balanced per connection: HTTP mode reads HTTP/1.x only (said once)`);
    }
    client.handOver(firstBytes);
    this.connector.balance(client.side);
  }

  warn(kind: string, message: string): void {
    this.connector.warnings.warn(kind, () => message);
  }

  countAnswer(backend: Backend, status: number, ms: number): void {
    backend.stats.answered(status, ms);
    this.stats.answered(status, ms);
    this.traffic.answered(backend, status, ms);
  }

  countFault(backend: Backend, status?: number): void {
    backend.stats.requestFaulted();
    this.traffic.sent(backend, status === undefined || status >= 500);
    if (status !== undefined) backend.stats.answered(status);
  }

  countFailure(backend: Backend, status: 502 | 504, why: string): void {
    backend.lastError = why;
    this.traffic.failed(backend);
    this.warn(String(status), `${status === 502 ? 'Bad gateway' : 'Gateway timeout'}: ${why}`);
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

  sessionClosed(session: HttpSession): void {
    this.sessions.delete(session);
  }

  /** The balancer starts: answers keep their connections again. */
  start(): void {
    this.draining = false;
  }

  /** The balancer stops: idle connections close now, busy ones after their answer. */
  drain(): void {
    this.draining = true;
    this.keepAlive.closeIdle();
    for (const session of this.sessions) session.drain();
  }
}
