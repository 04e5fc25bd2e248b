// The connection HTTP mode reads and writes on the socket path: a `net.Socket`, accepted or dialled.
import type { Socket } from 'node:net';
import type { Conn, ConnEvents } from '../dataPath';
import { abort } from './socketCopy';

/** A `net.Socket`. Its reads come as `data` events, or through `onread` for sockets that HTTP mode opens. */
export class SocketConn implements Conn<Socket> {
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

  get side(): Socket {
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
