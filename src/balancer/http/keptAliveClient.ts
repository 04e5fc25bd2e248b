// GETs one after the other on one kept-alive connection, written and read by hand with the HTTP
// mode's own parsers. Test requests use it: in VS Code's extension host `http`'s agents are
// replaced (proxy support), and would open a connection for each request.
import { connect, type Socket } from 'node:net';
import { BodyCursor } from './bodyFraming';
import { parseAnswerHead, type AnswerHead } from './answerHead';

export interface KeptAliveAnswer {
  status: number;
  body: string;
}

export class KeptAliveClient {
  private socket?: Socket;
  /** Bytes received and not used yet. */
  private input = Buffer.alloc(0);

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** The client's port of the connection in use: how the balancer's events name it. */
  get localPort(): number {
    return this.socket?.localPort ?? 0;
  }

  /** One GET; a new connection when there is none or the last one closed. */
  async get(path: string, timeoutMs: number): Promise<KeptAliveAnswer> {
    const socket = await this.connection(timeoutMs);
    return new Promise((resolve, reject) => {
      const body = new BodyCursor();
      let head: AnswerHead | undefined;
      let scanned = 0;
      const finish = (error?: Error, answer?: KeptAliveAnswer): void => {
        clearTimeout(timer);
        socket.off('data', onData).off('close', onClose);
        if (error || head?.closes) socket.destroy();
        if (error) reject(error);
        else resolve(answer as KeptAliveAnswer);
      };
      const read = (): void => {
        if (!head) {
          const result = parseAnswerHead(this.input, 0, 'GET');
          if ('incomplete' in result) return;
          if ('malformed' in result) return finish(new Error(`a malformed answer: ${result.malformed}`));
          // Interim answers are skipped.
          this.input = this.input.subarray(result.head.end);
          if (result.head.status < 200) return read();
          head = result.head;
          body.start(head.framing, head.contentLength);
        }
        const end = body.scan(this.input, scanned);
        if (end < 0) return finish(new Error('a malformed chunked body'));
        scanned = end;
        if (!body.done) return;
        const bytes = this.input.subarray(0, end);
        this.input = this.input.subarray(end);
        finish(undefined, { status: head.status, body: (head.framing === 'chunked' ? dechunk(bytes) : bytes).toString('utf8') });
      };
      const onData = (chunk: Buffer): void => {
        this.input = Buffer.concat([this.input, chunk]);
        read();
      };
      const onClose = (): void => {
        if (head?.framing === 'close') finish(undefined, { status: head.status, body: this.input.toString('utf8') });
        else finish(new Error('connection closed without an answer'));
        this.input = Buffer.alloc(0);
      };
      const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      socket.on('data', onData).on('close', onClose);
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nUser-Agent: local-lb-test-requests\r\n\r\n`);
    });
  }

  close(): void {
    this.socket?.destroy();
  }

  private connection(timeoutMs: number): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.input = Buffer.alloc(0);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.off('error', reject);
        socket.on('error', () => {});
        this.socket = socket;
        resolve(socket);
      });
      socket.once('timeout', () => socket.destroy(new Error(`no connection within ${timeoutMs} ms`)));
      socket.once('error', reject);
    });
  }
}

/** A chunked body's data, its chunk sizes, extensions and trailers left out. */
function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const lineEnd = bytes.indexOf('\r\n', at, 'latin1');
    const size = parseInt(bytes.toString('latin1', at, lineEnd), 16);
    if (!(size > 0)) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
