// A client's connection in HTTP mode, below the requests: bytes in (read only while they have
// somewhere to go), bytes out (with backpressure), one deadline at a time, and how it ends.
import type { Deadline, Deadlines } from '../deadlines';
import type { Conn } from '../dataPath';

/** How long a client that was told the connection ends may keep it open before it is closed. */
const LINGER_MS = 1000;

export abstract class ClientConnection {
  /** Bytes from the client not used yet: a head coming, or pipelined requests waiting their turn. */
  protected input?: Buffer;
  /** The client sent its end (FIN). */
  clientEnded = false;
  /** The connection is closed: nothing reaches the client any more. */
  closed = false;
  /** The client does not take what is written as fast as it comes: the source waits for `clientDrained`. */
  protected clientBlocked = false;
  private reading = true;
  /** Where kept bytes grow (`keep`). */
  private room?: Buffer;
  private deadline?: Deadline;
  private deadlines?: Deadlines;

  constructor(
    protected readonly client: Conn,
    /** When clients told that their connection ends are closed if they keep it open. */
    private readonly lingering: Deadlines,
  ) {
    client.listen({
      data: (chunk) => this.clientData(chunk),
      end: () => {
        this.clientEnded = true;
        this.clientEnd();
      },
      drain: () => {
        this.clientBlocked = false;
        this.clientDrained();
      },
      close: () => {
        this.closed = true;
        this.cancelDeadline();
        this.clientClosed();
      },
    });
  }

  protected abstract clientData(chunk: Buffer): void;
  protected abstract clientEnd(): void;
  protected abstract clientDrained(): void;
  protected abstract clientClosed(): void;

  /**
   * Keeps bytes for later, in a buffer that doubles when full: a head sent a byte at a time
   * (slowloris) then costs its length in copies, not its length squared.
   */
  protected keep(chunk: Buffer): void {
    const input = this.input;
    if (!input) {
      this.input = chunk;
      return;
    }
    const length = input.length + chunk.length;
    let room = this.room;
    if (!room || input.buffer !== room.buffer || input.byteOffset !== room.byteOffset || length > room.length) {
      room = Buffer.allocUnsafe(Math.max(length, 2 * input.length, 1024));
      input.copy(room);
      this.room = room;
    }
    chunk.copy(room, input.length);
    this.input = room.subarray(0, length);
  }

  /** The bytes kept so far, taken. */
  takeInput(): Buffer | undefined {
    const input = this.input;
    this.input = undefined;
    return input;
  }

  /** Writes to the client (a string is latin1: HTTP's octets); false once the client lags behind. */
  protected toClient(bytes: Buffer | string): boolean {
    const flushed = this.client.write(bytes);
    if (!flushed) this.clientBlocked = true;
    return flushed;
  }

  /** Reads the client, or stops reading it (its bytes then wait in the kernel: TCP's backpressure). */
  protected read(wanted: boolean): void {
    if (wanted === this.reading) return;
    this.reading = wanted;
    this.client.read(wanted);
  }

  protected setDeadline(list: Deadlines, ms: number, expire: () => void): void {
    this.cancelDeadline();
    this.deadlines = list;
    this.deadline = list.set(ms, () => {
      this.deadline = undefined;
      expire();
    });
  }

  protected cancelDeadline(): void {
    if (this.deadline) this.deadlines?.cancel(this.deadline);
    this.deadline = undefined;
  }

  /** Ends the connection once what was written is sent; nothing more is read from it, and it is closed after a while. */
  protected endClient(): void {
    this.input = undefined;
    this.read(true);
    this.client.end();
    this.setDeadline(this.lingering, LINGER_MS, () => this.client.destroy());
  }

  /** Closes the connection with a reset: what the client got was cut short. */
  protected resetClient(): void {
    this.cancelDeadline();
    this.client.reset();
  }
}
