// The connection HTTP mode reads and writes, on either data path: a `net.Socket`, or one end on
// libuv's stream handles. HTTP mode parses and decides; this moves bytes.
import type { Socket } from 'node:net';
import type { Side } from '../dataPath';
import { abort } from '../socketCopy';

/** What a connection tells its user. */
export interface ConnEvents {
  data(chunk: Buffer): void;
  /** The other end sent its FIN. */
  end(): void;
  /** What was written has gone out: writing may go on. */
  drain(): void;
  /** Closed, with the first error seen if it failed. */
  close(error?: Error): void;
}

export interface Conn {
  /** The data path's own object: counted, tracked and closed by the engine as any connection. */
  readonly side: Side;
  /** Closed or being closed. */
  readonly destroyed: boolean;
  /** Set by the user; events before that are not expected (a connection starts reading once it has one). */
  listen(events: ConnEvents): void;
  /** Writes (a string as latin1, HTTP's octets); false once what is written waits. */
  write(bytes: Buffer | string): boolean;
  /** Holds writes until `uncork`, to send them in one system call. */
  cork(): void;
  uncork(): void;
  /** Reads, or stops reading (the bytes then wait in the kernel: TCP's backpressure). */
  read(wanted: boolean): void;
  /** Sends our FIN once what is written has gone out. */
  end(): void;
  destroy(): void;
  /** Closes with a reset: the other end learns what it got was cut off. */
  reset(): void;
  /** `host` and `port` of the other end. */
  remote(): { host: string; port: number };
  /** Closes the connection after `ms` with no bytes either way; 0 turns it off. */
  idleTimeout(ms: number, expire: () => void): void;
  /**
   * Gives the connection back to its data path, which copies it from now on (TLS, HTTP/2): its user
   * hears nothing more, and `firstBytes`, read already, are the first to be copied.
   */
  handOver(firstBytes: Buffer): void;
}

/** A `net.Socket`. Its reads come as `data` events, or through `onread` for sockets that HTTP mode opens. */
export class SocketConn implements Conn {
  private events?: ConnEvents;
  private error?: Error;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.events?.data(chunk));
    socket.on('end', () => this.events?.end());
    socket.on('drain', () => this.events?.drain());
    socket.on('error', (error) => {
      this.error ??= error;
    });
    socket.on('close', () => this.events?.close(this.error));
  }

  handOver(firstBytes: Buffer): void {
    this.events = undefined;
    // Paused, so that nothing is read before the copy listens; the copy resumes it.
    this.socket.pause();
    this.socket.unshift(firstBytes);
  }

  get side(): Side {
    return this.socket;
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  listen(events: ConnEvents): void {
    this.events = events;
  }

  /** What `onread` delivers, for sockets opened with one. */
  received(chunk: Buffer): void {
    this.events?.data(chunk);
  }

  write(bytes: Buffer | string): boolean {
    if (this.socket.destroyed) return true;
    return typeof bytes === 'string' ? this.socket.write(bytes, 'latin1') : this.socket.write(bytes);
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  read(wanted: boolean): void {
    if (wanted) this.socket.resume();
    else this.socket.pause();
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  reset(): void {
    abort(this.socket);
  }

  remote(): { host: string; port: number } {
    return { host: this.socket.remoteAddress ?? 'unknown', port: this.socket.remotePort ?? 0 };
  }

  idleTimeout(ms: number, expire: () => void): void {
    this.socket.setTimeout(ms, expire);
  }
}
