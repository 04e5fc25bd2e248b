// Real loopback servers and clients for the tests, and a cleanup list so nothing outlives a test.
import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { LoadBalancer, type BalancerOptions } from '../../src/balancer';

export const HOST = '127.0.0.1';

/** Things to close after each test, last opened first. */
export class Cleanup {
  private readonly tasks: Array<() => unknown> = [];

  add(task: () => unknown): void {
    this.tasks.push(task);
  }

  async run(): Promise<void> {
    for (const task of this.tasks.splice(0).reverse()) await task();
  }
}

export interface TestServer {
  port: number;
  server: Server;
  /** Sockets accepted so far that are still open. */
  sockets: Set<Socket>;
  accepted: number;
  close(): Promise<void>;
}

export async function listen(cleanup: Cleanup, onSocket: (socket: Socket) => void, port = 0): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const result = { accepted: 0 } as TestServer;
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    result.accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A burst of thousands of connections must not overflow the accept queue: an overflowed one waits
    // for the kernel's SYN retries (1 s, 3 s, 7 s, 15 s, 31 s), which is a timeout, not a result.
    server.listen({ port, host: HOST, backlog: 4096 }, resolve);
  });
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  Object.assign(result, { port: (server.address() as AddressInfo).port, server, sockets, close });
  cleanup.add(() => server.listening && close());
  return result;
}

/** A backend that answers `<name>:<what it received>` once the client has finished sending. */
export function namedBackend(cleanup: Cleanup, name: string, port = 0): Promise<TestServer> {
  return listen(
    cleanup,
    (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => socket.end(`${name}:${Buffer.concat(chunks).toString()}`));
    },
    port,
  );
}

/** A backend that sends back what it receives, as it arrives, and ends when the client ends. */
export function echoBackend(cleanup: Cleanup, transform = (chunk: Buffer): Buffer => chunk): Promise<TestServer> {
  return listen(cleanup, (socket) => {
    socket.on('data', (chunk: Buffer) => socket.write(transform(chunk)));
    socket.on('end', () => socket.end());
  });
}

/** A port nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startBalancer(cleanup: Cleanup, options: Omit<BalancerOptions, 'port'> & { port?: number }): Promise<LoadBalancer> {
  const balancer = new LoadBalancer({ port: 0, ...options });
  cleanup.add(() => balancer.stop());
  await balancer.start();
  return balancer;
}

export function portOf(balancer: LoadBalancer): number {
  const address = balancer.address();
  if (!address) throw new Error('balancer is not running');
  return address.port;
}

export function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, allowHalfOpen: true }, () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export interface Reply {
  data: Buffer;
  /** True when the stream ended with a FIN; false when it was reset or destroyed. */
  ended: boolean;
  error?: NodeJS.ErrnoException;
}

/** Collects everything a socket receives until it closes. */
export function readAll(socket: Socket): Promise<Reply> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let ended = false;
    let error: NodeJS.ErrnoException | undefined;
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      ended = true;
      // The test client sent its FIN already or will; make sure the socket closes.
      socket.end();
    });
    socket.on('error', (e) => (error = e));
    socket.on('close', () => resolve({ data: Buffer.concat(chunks), ended, error }));
  });
}

/** Sends `payload`, shuts down the write side, and returns what came back. */
export async function exchange(port: number, payload = ''): Promise<string> {
  const socket = await open(port);
  const reply = readAll(socket);
  socket.end(payload);
  return (await reply).data.toString();
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await delay(10);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A port whose accept queue is full, so a connection attempt hangs until it times out: a Python
 * listener with backlog 0 that never accepts, plus one connection that fills the queue.
 */
export async function unresponsivePort(cleanup: Cleanup): Promise<number> {
  const { spawn } = await import('node:child_process');
  const script = [
    'import socket, sys, time',
    's = socket.socket()',
    "s.bind(('127.0.0.1', 0))",
    's.listen(0)',
    'print(s.getsockname()[1], flush=True)',
    'sys.stdin.read()',
  ].join('\n');
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  cleanup.add(() => child.kill());
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  const filler = await open(port);
  cleanup.add(() => filler.destroy());
  return port;
}

/** Writes `total` random bytes in chunks, honouring backpressure; resolves with their sha256. */
export async function sendRandom(socket: Socket, total: number): Promise<string> {
  const hash = createHash('sha256');
  for (let sent = 0; sent < total; ) {
    const chunk = randomBytes(Math.min(64 * 1024, total - sent));
    hash.update(chunk);
    sent += chunk.length;
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
  }
  socket.end();
  return hash.digest('hex');
}

/** Hashes everything a socket receives until its end. */
export function receiveHash(socket: Socket): Promise<{ digest: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    socket.once('end', () => resolve({ digest: hash.digest('hex'), bytes }));
    socket.once('error', reject);
  });
}
