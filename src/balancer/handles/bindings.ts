// Node's internal stream-handle bindings (`tcp_wrap`, `stream_wrap`), typed, loaded once, or the reason they cannot be.
//
// These are the objects `net.Socket` itself wraps. They are not a public API: docs/data-path.md
// lists every binding and callback shape used here, and `selfTest.ts` proves them at start, so that
// a Node that changes them costs a fallback to `net.Socket`, never a broken balancer.
import type { Server } from 'node:net';
import { getSystemErrorName } from 'node:util';

/** A request whose completion libuv reports by calling `oncomplete` on it. */
export interface Request<Complete> {
  oncomplete: Complete;
  /** Ours: the connection the request belongs to. */
  owner?: unknown;
}

export type WriteRequest = Request<(this: WriteRequest, status: number) => void> & {
  /** Ours: the bytes libuv writes from, kept alive until it is done with them. */
  buffer?: Uint8Array;
};
export type ShutdownRequest = Request<(this: ShutdownRequest, status: number) => void>;
export type ConnectRequest = Request<(this: ConnectRequest, status: number, handle: TcpHandle) => void>;

/** `TCP` from `tcp_wrap`, a libuv TCP handle with `StreamBase`'s methods. Errors are negative libuv codes. */
export interface TcpHandle {
  /** Ours: the connection end the handle belongs to. */
  owner?: unknown;
  /** Called with `this` the handle; the byte count (or error, or EOF) is in `streamBaseState`. May return the next read buffer. */
  onread: (this: TcpHandle, arrayBuffer: ArrayBuffer | undefined) => Uint8Array | undefined;
  onconnection?: (this: TcpHandle, status: number, client?: TcpHandle) => void;
  /** Bytes queued in libuv and not written yet. */
  readonly writeQueueSize: number;
  readStart(): number;
  readStop(): number;
  /** From now on reads land in `buffer`, at its start, instead of a new allocation each. */
  useUserBuffer(buffer: Uint8Array): void;
  writeBuffer(request: WriteRequest, data: Uint8Array): number;
  /** Copies the string's unsent tail into the request: the string need not live on. */
  writeLatin1String(request: WriteRequest, data: string): number;
  shutdown(request: ShutdownRequest): number;
  connect(request: ConnectRequest, address: string, port: number): number;
  connect6(request: ConnectRequest, address: string, port: number): number;
  getpeername(out: { address?: string; port?: number }): number;
  setNoDelay(enable: boolean): number;
  /** Closes with an RST (`SO_LINGER` 0); a non-zero result means it could not, and nothing was done. */
  reset(callback: () => void): number;
  close(callback: () => void): void;
}

export interface Bindings {
  newSocketHandle(): TcpHandle;
  newWriteRequest(): WriteRequest;
  newShutdownRequest(): ShutdownRequest;
  newConnectRequest(): ConnectRequest;
  /** Filled by each read and write: [bytes read or error, array buffer offset, bytes written, last write was async]. */
  readonly state: Int32Array;
  readonly READ_BYTES_OR_ERROR: number;
  readonly LAST_WRITE_WAS_ASYNC: number;
  /** libuv's end-of-stream code (`UV_EOF`). */
  readonly EOF: number;
}

type Constructor<T> = new (kind?: number) => T;

interface TcpWrap {
  TCP: Constructor<TcpHandle>;
  TCPConnectWrap: Constructor<ConnectRequest>;
  constants: { SOCKET: number; SERVER: number };
}

interface StreamWrap {
  WriteWrap: Constructor<WriteRequest>;
  ShutdownWrap: Constructor<ShutdownRequest>;
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kLastWriteWasAsync: number;
}

/** The methods the path calls on a socket handle: all must exist, or the path does not serve. */
const HANDLE_METHODS = [
  'readStart',
  'readStop',
  'useUserBuffer',
  'writeBuffer',
  'writeLatin1String',
  'shutdown',
  'connect',
  'connect6',
  'getpeername',
  'setNoDelay',
  'reset',
  'close',
] as const;

/** libuv's `UV_EOF`, the same on every platform. */
const UV_EOF = -4095;

let loaded: Bindings | string | undefined;

/** The bindings, or why they cannot be used here (the reason is logged once, by the caller). */
export function loadBindings(): Bindings | string {
  loaded ??= tryLoad();
  return loaded;
}

function tryLoad(): Bindings | string {
  let tcp: Partial<TcpWrap>;
  let stream: Partial<StreamWrap>;
  try {
    const binding = (process as unknown as { binding(name: string): unknown }).binding;
    tcp = binding('tcp_wrap') as Partial<TcpWrap>;
    stream = binding('stream_wrap') as Partial<StreamWrap>;
  } catch (error) {
    return `process.binding is not available (${(error as Error).message})`;
  }
  const { TCP, TCPConnectWrap, constants } = tcp;
  const { WriteWrap, ShutdownWrap, streamBaseState, kReadBytesOrError, kLastWriteWasAsync } = stream;
  if (typeof TCP !== 'function' || typeof TCPConnectWrap !== 'function' || typeof constants?.SOCKET !== 'number') {
    return 'tcp_wrap lacks TCP, TCPConnectWrap or constants.SOCKET';
  }
  if (typeof WriteWrap !== 'function' || typeof ShutdownWrap !== 'function' || !(streamBaseState instanceof Int32Array)) {
    return 'stream_wrap lacks WriteWrap, ShutdownWrap or streamBaseState';
  }
  if (typeof kReadBytesOrError !== 'number' || typeof kLastWriteWasAsync !== 'number') {
    return 'stream_wrap lacks the streamBaseState indices';
  }
  const missing = HANDLE_METHODS.filter((method) => typeof (TCP.prototype as unknown as Record<string, unknown>)[method] !== 'function');
  if (missing.length > 0) return `the TCP handle lacks ${missing.join(', ')}`;
  if (getSystemErrorName(UV_EOF) !== 'EOF') return `libuv's end-of-stream code is no longer ${UV_EOF}`;
  const socketKind = constants.SOCKET;
  return {
    newSocketHandle: () => new TCP(socketKind),
    newWriteRequest: () => new WriteWrap(),
    newShutdownRequest: () => new ShutdownWrap(),
    newConnectRequest: () => new TCPConnectWrap(),
    state: streamBaseState,
    READ_BYTES_OR_ERROR: kReadBytesOrError,
    LAST_WRITE_WAS_ASYNC: kLastWriteWasAsync,
    EOF: UV_EOF,
  };
}

/** The listening handle of a `net.Server` that listens (`_handle`, an internal field), whose `onconnection` the path takes over. */
export function listeningHandle(server: Server): TcpHandle | undefined {
  return (server as unknown as { _handle?: TcpHandle })._handle ?? undefined;
}

/** An error as Node makes them for a failed libuv call: `connect ECONNREFUSED 127.0.0.1:8101`, with `code`. */
export function uvError(status: number, syscall: string, detail?: string): NodeJS.ErrnoException {
  let code: string;
  try {
    code = getSystemErrorName(status);
  } catch {
    code = `UV_${status}`;
  }
  const error: NodeJS.ErrnoException = new Error(detail ? `${syscall} ${code} ${detail}` : `${syscall} ${code}`);
  error.code = code;
  error.errno = status;
  error.syscall = syscall;
  return error;
}
