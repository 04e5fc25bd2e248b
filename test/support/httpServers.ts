// Real HTTP servers and clients for HTTP mode's tests: Node `http` backends that keep connections
// alive and note what they got, and clients that keep one connection for many requests.
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { HOST, type Cleanup } from './net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface HttpBackend {
  name: string;
  port: number;
  server: Server;
  /** Connections accepted so far. */
  connections: number;
  requests: SeenRequest[];
}

export type Handler = (req: IncomingMessage, res: ServerResponse, backend: HttpBackend) => void;

/** Answers `<name> <method> <url>`, as text. */
export const nameAnswer: Handler = (req, res, backend) => {
  req.resume();
  req.on('end', () => res.end(`${backend.name} ${req.method} ${req.url}`));
};

/** A Node `http` backend (keep-alive on, as Node's default) on an ephemeral port. */
export async function httpBackend(cleanup: Cleanup, name: string, handler: Handler = nameAnswer): Promise<HttpBackend> {
  const backend = { name, connections: 0, requests: [] } as unknown as HttpBackend;
  const server = createServer((req, res) => {
    backend.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res, backend);
  });
  server.on('connection', () => backend.connections++);
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  backend.server = server;
  backend.port = (server.address() as AddressInfo).port;
  cleanup.add(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return backend;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** A client with one kept-alive connection for all its requests. */
export function keepAliveClient(cleanup: Cleanup): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  cleanup.add(() => agent.destroy());
  return agent;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
  agent?: Agent | false;
}

/** One request to `port`; resolves with the whole answer. */
export function fetchFrom(port: number, options: RequestOptions = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString() });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Sends `text` on a new connection and collects what comes back until the balancer closes it, or
 * until `quietMs` pass with nothing more (for connections that stay open).
 */
export function rawExchange(port: number, text: string | Buffer, quietMs = 300): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed });
    };
    const quiet = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => done(false), quietMs);
    };
    socket.on('connect', () => {
      socket.write(text);
      quiet();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      quiet();
    });
    socket.on('end', () => done(true));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? done(true) : reject(error)));
  });
}
