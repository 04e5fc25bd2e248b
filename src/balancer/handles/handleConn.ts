// The connection HTTP mode reads and writes on libuv's stream handles: one `HandleSide` whose reads
// HTTP mode takes and to which it writes itself, without a `net.Socket`.
import type { Conn, ConnEvents } from '../dataPath';
import { IdleWatch } from '../idleWatch';
import type { HandleSide, SideEvents } from './handleSide';

export class HandleConn implements Conn<HandleSide>, SideEvents {
  private events?: ConnEvents;
  private error?: Error;
  /** Writes held by `cork`, sent as one. */
  private corked?: Buffer[];
  private idle?: IdleWatch;

  constructor(private readonly handleSide: HandleSide) {
    handleSide.events = this;
    handleSide.receiver = (chunk) => this.events?.data(chunk);
  }

  get side(): HandleSide {
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
    this.active();
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
    this.idle?.stop();
    side.events = undefined;
    side.receiver = undefined;
    // Held bytes are a client's first, written to its backend once connected.
    side.held = side.held ? Buffer.concat([firstBytes, side.held]) : firstBytes;
  }

  idleTimeout(ms: number, expire: () => void): void {
    this.idle?.stop();
    this.idle = ms > 0 ? new IdleWatch(ms, expire) : undefined;
  }

  active(): void {
    if (this.idle) this.idle.moved = true;
  }

  ended(): void {
    this.events?.end();
  }

  failed(_side: HandleSide, error: Error): void {
    this.error ??= error;
  }

  closed(): void {
    this.idle?.stop();
    this.events?.close(this.error);
  }

  drained(): void {
    this.events?.drain();
  }
}
