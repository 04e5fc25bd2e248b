// HTTP mode's connection on libuv's stream handles: one `HandleSide` whose reads HTTP mode takes
// and to which it writes itself, without a `net.Socket`.
import type { Side } from '../dataPath';
import type { HandleSide, SideEvents } from '../handles/handleSide';
import type { Conn, ConnEvents } from './conn';

/** An idle connection is checked this many times per idle timeout, so it closes within 1¼ timeouts. */
const CHECKS_PER_TIMEOUT = 4;

export class HandleConn implements Conn, SideEvents {
  private events?: ConnEvents;
  private error?: Error;
  /** Writes held by `cork`, sent as one. */
  private corked?: Buffer[];
  private moved = false;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly handleSide: HandleSide) {
    handleSide.events = this;
    handleSide.receiver = (chunk) => this.events?.data(chunk);
  }

  get side(): Side {
    return this.handleSide;
  }

  get destroyed(): boolean {
    return this.handleSide.closing;
  }

  listen(events: ConnEvents): void {
    this.events = events;
    this.handleSide.startReading();
  }

  write(bytes: Buffer | string): boolean {
    const side = this.handleSide;
    if (side.closing) return true;
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    this.moved = true;
    if (this.corked) {
      this.corked.push(buffer);
      return true;
    }
    side.write(buffer, buffer.length, false);
    return side.pendingWrites === 0;
  }

  cork(): void {
    this.corked ??= [];
  }

  uncork(): void {
    const corked = this.corked;
    this.corked = undefined;
    if (corked && corked.length > 0) this.write(corked.length === 1 ? corked[0] : Buffer.concat(corked));
  }

  read(wanted: boolean): void {
    if (wanted) this.handleSide.startReading();
    else this.handleSide.pause();
  }

  end(): void {
    this.uncork();
    this.handleSide.endWrite();
  }

  destroy(): void {
    this.handleSide.close();
  }

  reset(): void {
    this.handleSide.abort();
  }

  remote(): { host: string; port: number } {
    const peer: { address?: string; port?: number } = {};
    this.handleSide.handle.getpeername(peer);
    return { host: peer.address ?? 'unknown', port: peer.port ?? 0 };
  }

  handOver(firstBytes: Buffer): void {
    const side = this.handleSide;
    this.events = undefined;
    clearInterval(this.idleTimer);
    side.events = undefined;
    side.receiver = undefined;
    // Held bytes are a client's first, written to its backend once connected.
    side.held = side.held ? Buffer.concat([firstBytes, side.held]) : firstBytes;
  }

  idleTimeout(ms: number, expire: () => void): void {
    clearInterval(this.idleTimer);
    if (ms <= 0) return;
    let quiet = 0;
    this.idleTimer = setInterval(() => {
      if (this.moved) quiet = 0;
      else if (++quiet >= CHECKS_PER_TIMEOUT) {
        clearInterval(this.idleTimer);
        expire();
      }
      this.moved = false;
    }, Math.ceil(ms / CHECKS_PER_TIMEOUT)).unref();
  }

  active(): void {
    this.moved = true;
  }

  ended(): void {
    this.events?.end();
  }

  failed(_side: HandleSide, error: Error): void {
    this.error ??= error;
  }

  closed(): void {
    clearInterval(this.idleTimer);
    this.events?.close(this.error);
  }

  drained(): void {
    this.events?.drain();
  }
}
