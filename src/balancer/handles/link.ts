// A client and its backend on raw handles, copied both ways until both directions are done.
import type { Closed } from '../dataPath';
import type { HandleSide, SideEvents } from './handleSide';

/** An idle connection is checked this many times per idle timeout, so it closes within 1¼ timeouts. */
const CHECKS_PER_TIMEOUT = 4;

/**
 * As the socket path's `copyBothWays`: backpressure (each side's reads stop while its peer has
 * writes queued), each direction's end passed on by itself, a side that closes before both of its
 * directions finished aborting its peer, and `done` once both are closed, with the first error seen
 * and the backend's own.
 */
export class Link implements SideEvents {
  private firstError?: Error;
  private backendError?: Error;
  private open = 2;
  private idleTimer?: NodeJS.Timeout;
  private moved = false;
  private quietChecks = 0;

  constructor(
    private readonly client: HandleSide,
    private readonly upstream: HandleSide,
    idleTimeoutMs: number,
    private readonly done: Closed,
  ) {
    client.peer = upstream;
    upstream.peer = client;
    client.events = this;
    upstream.events = this;
    if (idleTimeoutMs > 0) {
      this.idleTimer = setInterval(() => this.checkIdle(idleTimeoutMs), Math.ceil(idleTimeoutMs / CHECKS_PER_TIMEOUT)).unref();
    }
    const held = client.held;
    if (held) {
      client.held = undefined;
      upstream.write(held, held.length, false);
    }
    // A client that sent its end while the backend was being connected.
    if (client.readEnded) upstream.endWrite();
    if (upstream.pendingWrites === 0) client.startReading();
    upstream.startReading();
  }

  active(): void {
    this.moved = true;
  }

  ended(side: HandleSide): void {
    side.peer?.endWrite();
  }

  failed(side: HandleSide, error: Error): void {
    this.firstError ??= error;
    if (side === this.upstream) this.backendError ??= error;
  }

  closed(side: HandleSide, clean: boolean): void {
    if (!clean) side.peer?.abort();
    if (--this.open > 0) return;
    clearInterval(this.idleTimer);
    this.done(this.firstError, this.backendError);
  }

  private checkIdle(idleTimeoutMs: number): void {
    if (this.moved) {
      this.moved = false;
      this.quietChecks = 0;
    } else if (++this.quietChecks >= CHECKS_PER_TIMEOUT) {
      clearInterval(this.idleTimer);
      this.firstError ??= new Error(`idle for ${idleTimeoutMs} ms`);
      this.client.close();
    }
  }
}
