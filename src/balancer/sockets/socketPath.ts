// The data path on `net.Socket`: listen, connect to a backend, refuse and abort, for the connector;
// and the connections HTTP mode reads and writes itself.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { DataPath, Listener } from '../dataPath';
import { listenOn } from '../listening';
import type { Address } from '../types';
import { abort, copyBothWays, repliesTo, type ReplyReads } from './socketCopy';
import { SocketConn } from './socketConn';

/** Each backend socket's reply reads, so that a connection that got faults can route them through its stage. */
const replyReads = new WeakMap<Socket, ReplyReads>();
/**
 * Backends' answers to HTTP mode are read into this one buffer and copied out at their size: left to
 * itself, Node gives every read a 64 KiB buffer of its own, which costs more than the copy.
 */
const answerReads = Buffer.allocUnsafe(64 * 1024);

export const socketPath: DataPath<Socket> = {
  name: 'sockets',
  listen,
  describe: (client) => `${client.remoteAddress}:${client.remotePort}`,
  onClose: (side, listener) => side.on('close', listener),
  offClose: (side, listener) => side.removeListener('close', listener),
  isClosed: (side) => side.destroyed,
  connect: connectToBackend,
  copy: (client, backendSide, { idleTimeoutMs, faults }, replied, closed, backendFaults) => {
    const replies = replyReads.get(backendSide);
    if (replies) replies.replied = replied;
    copyBothWays(client, backendSide, idleTimeoutMs, closed, replies, faults, backendFaults);
  },
  refuse,
  abort,
  conn: (client) => new SocketConn(client),
  dial: dialForHttp,
};

function listen(at: Address, shared: Server | undefined, onClient: (client: Socket) => void, onError: (error: Error) => void): Promise<Listener> {
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    // Errors are handled when the connection closes; this listener keeps them from crashing us.
    client.on('error', ignoreError);
    onClient(client);
  });
  return listenOn(server, at, shared, onError);
}

/** A half-open-capable socket to a backend, whose replies go straight to `client`. */
function connectToBackend(address: Address, client: Socket, done: (error?: Error) => void): Socket {
  const reads = repliesTo(client, () => socket);
  const socket: Socket = connect({
    host: address.host,
    port: address.port,
    allowHalfOpen: true,
    noDelay: true,
    onread: reads,
  });
  replyReads.set(socket, reads);
  whenConnected(socket, done);
  return socket;
}

/** A socket to a backend that HTTP mode reads: its reads land in one shared buffer. */
function dialForHttp(address: Address, _client: Socket, done: (error?: Error) => void): SocketConn {
  const socket = connect({
    host: address.host,
    port: address.port,
    noDelay: true,
    onread: {
      buffer: answerReads,
      callback: (bytes, buffer) => {
        conn.received(Buffer.from(buffer.subarray(0, bytes)));
        return true;
      },
    },
  });
  const conn = new SocketConn(socket);
  whenConnected(socket, done);
  return conn;
}

/** `done` once `socket` is connected, or with why not (the socket destroyed then); not called when it is destroyed first. */
function whenConnected(socket: Socket, done: (error?: Error) => void): void {
  const fail = (error: Error): void => {
    socket.removeListener('connect', connected);
    socket.destroy();
    done(error);
  };
  const connected = (): void => {
    socket.removeListener('error', fail);
    done();
  };
  // `on` rather than `once` for events that come once anyway: no wrapper per connection.
  socket.on('connect', connected);
  socket.on('error', fail);
}

function refuse(client: Socket, lingerMs: number): void {
  client.resume();
  client.end();
  client.setTimeout(lingerMs, () => client.destroy());
}

const ignoreError = (): void => {};
