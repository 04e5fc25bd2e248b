// Connections to backends in HTTP mode, and the keep-alive pool that keeps them between requests.
import type { Backend } from '../backend';
import { Deadlines, type Deadline } from '../deadlines';
import type { LinkFaults } from '../faults/backendFaults';
import type { FaultStage } from '../faults/faultStage';
import type { Conn, ConnEvents } from '../dataPath';

/** Idle connections kept per backend; more are closed at once. */
const MAX_IDLE_PER_BACKEND = 64;
/**
 * An idle connection is closed after this long, before the backend would close it (gunicorn's
 * keep-alive is 2 s, Node's 5 s, uvicorn's 5 s): a request then never meets a connection that is
 * closing. Should one anyway, the request is retried once on a fresh connection.
 */
const POOL_IDLE_MS = 1500;

/** The session a connection serves: it gets the connection's events while it is the user. */
export interface BackendConnectionUser {
  backendData(chunk: Buffer): void;
  backendEnded(): void;
  backendClosed(connection: BackendConnection): void;
  backendDrained(): void;
  /** A `reset_peer` fault fired: the client is reset. */
  backendReset(): void;
}

/**
 * One connection to a backend; it passes its events to whoever uses it. A connection that got
 * faults (drawn when it opened) passes its bytes through their stages.
 */
export class BackendConnection implements ConnEvents {
  user?: BackendConnectionUser;
  /** The first error the connection reported. */
  error?: Error;
  /** It served a request before: the backend may have closed it meanwhile. */
  reused = false;
  idle?: Deadline;
  /** A fault stage holds the session's bytes: it waits for `backendDrained`. */
  private held = false;
  private toBackend?: FaultStage;
  private fromBackend?: FaultStage;
  private ended = false;
  /** The connection closed after its end while the downstream stage still held bytes: the close waits for them. */
  private closeAfterStage = false;

  constructor(
    readonly backend: Backend,
    readonly conn: Conn,
    private readonly pool: KeepAlivePool,
    /** Told once, when the connection has closed: the backend's books. */
    private readonly onClosed: () => void,
    private readonly faults?: LinkFaults,
  ) {
    if (faults) this.openStages(faults);
    conn.listen(this);
  }

  /** Its bytes pass fault stages: what it carries is the traffic panel's `fault`. */
  get faulty(): boolean {
    return this.faults !== undefined;
  }

  // Idle (no user), anything the backend sends, or its end, closes the connection.
  data(chunk: Buffer): void {
    if (this.fromBackend) this.fromBackend.push(chunk);
    else if (this.user) this.user.backendData(chunk);
    else this.conn.destroy();
  }

  end(): void {
    this.ended = true;
    if (this.fromBackend) this.fromBackend.end();
    else if (this.user) this.user.backendEnded();
    else this.conn.destroy();
    // The backend sends nothing more: our end follows, so that the connection closes.
    if (!this.conn.destroyed) this.conn.end();
  }

  drain(): void {
    this.user?.backendDrained();
  }

  close(error?: Error): void {
    this.error ??= error;
    this.onClosed();
    if (this.fromBackend && this.ended && !this.error && this.user) this.closeAfterStage = true;
    else this.closed();
  }

  /** Sends bytes to the backend; false when they wait (the connection's buffer or a fault stage is full). */
  write(bytes: Buffer | string): boolean {
    if (!this.toBackend) return this.conn.write(bytes);
    this.toBackend.push(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    return !this.held;
  }

  private closed(): void {
    this.faults?.close();
    if (this.user) this.user.backendClosed(this);
    else this.pool.forget(this);
  }

  private openStages(faults: LinkFaults): void {
    const conn = this.conn;
    const cut = (): void => {
      this.user?.backendReset();
      conn.destroy();
    };
    const close = (): void => conn.destroy();
    this.toBackend = faults.stage('upstream', {
      write: (chunk) => void (conn.destroyed || conn.write(chunk)),
      end: () => conn.end(),
      pauseSource: () => (this.held = true),
      resumeSource: () => {
        this.held = false;
        this.user?.backendDrained();
      },
      reset: cut,
      close,
    });
    this.fromBackend = faults.stage('downstream', {
      write: (chunk) => (this.user ? this.user.backendData(chunk) : conn.destroy()),
      end: () => {
        this.user?.backendEnded();
        if (this.closeAfterStage) this.closed();
      },
      pauseSource: () => conn.read(false),
      resumeSource: () => conn.read(true),
      reset: cut,
      close,
    });
  }
}

/** Idle connections per backend, the most recently used first. */
export class KeepAlivePool {
  private readonly idle = new Map<Backend, BackendConnection[]>();
  private readonly deadlines = new Deadlines();

  /** An idle connection to `backend`, taken out of the keep-alive pool. */
  take(backend: Backend): BackendConnection | undefined {
    const connection = this.idle.get(backend)?.pop();
    if (!connection) return undefined;
    if (connection.idle) this.deadlines.cancel(connection.idle);
    backend.stats.pooled(false);
    connection.reused = true;
    return connection;
  }

  /** Keeps a connection whose answer ended cleanly, for the backend's next request. */
  release(connection: BackendConnection, closing: boolean): void {
    const { backend, conn } = connection;
    connection.user = undefined;
    let list = this.idle.get(backend);
    if (closing || conn.destroyed || !backend.available || (list?.length ?? 0) >= MAX_IDLE_PER_BACKEND) {
      conn.destroy();
      return;
    }
    if (!list) this.idle.set(backend, (list = []));
    // Paused while its client was slow: idle, it must notice the backend closing it.
    conn.read(true);
    list.push(connection);
    backend.stats.pooled(true);
    connection.idle = this.deadlines.set(POOL_IDLE_MS, () => conn.destroy());
  }

  /** Closes the idle connections of `backend`, or of every backend (the balancer stops, or faults changed). */
  closeIdle(backend?: Backend): void {
    for (const [owner, list] of this.idle) {
      if (backend === undefined || owner === backend) for (const connection of [...list]) connection.conn.destroy();
    }
  }

  /** An idle connection closed. */
  forget(connection: BackendConnection): void {
    const list = this.idle.get(connection.backend);
    const index = list ? list.indexOf(connection) : -1;
    if (index < 0) return;
    list?.splice(index, 1);
    connection.backend.stats.pooled(false);
    if (connection.idle) this.deadlines.cancel(connection.idle);
  }
}
