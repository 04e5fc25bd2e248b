// The data path on `net.Socket`: listen, connect to a backend, refuse and abort, for the connector.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { formatAddress } from './address';
import type { DataPath, Listener } from './dataPath';
import { Deadlines } from './deadlines';
import { ConnectTimeoutError } from './errors';
import { abort, copyBothWays, repliesTo, type ReplyReads } from './socketCopy';
import { listenOn } from './listening';
import type { Address } from './types';

/** Each backend socket's reply reads, so that a connection that got faults can route them through its stage. */
const replyReads = new WeakMap<Socket, ReplyReads>();
/** When each connect in progress gives up: one timer for all of them (a timer each costs more). */
const connectDeadlines = new Deadlines();

export const socketPath: DataPath<Socket> = {
  name: 'sockets',
  listen,
  describe: (client) => `${client.remoteAddress}:${client.remotePort}`,
  onClose: (side, listener) => side.on('close', listener),
  offClose: (side, listener) => side.removeListener('close', listener),
  isClosed: (side) => side.destroyed,
  connect: connectToBackend,
  copy: (client, upstream, { idleTimeoutMs, faults }, replied, closed) => {
    const replies = replyReads.get(upstream);
    if (replies) replies.replied = replied;
    copyBothWays(client, upstream, idleTimeoutMs, closed, faults && { link: faults, replies });
  },
  refuse,
  abort,
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
function connectToBackend(address: Address, timeoutMs: number, client: Socket, done: (error?: Error) => void): Socket {
  const reads = repliesTo(client, () => socket);
  const socket: Socket = connect({
    host: address.host,
    port: address.port,
    allowHalfOpen: true,
    noDelay: true,
    onread: reads,
  });
  replyReads.set(socket, reads);
  whenConnected(socket, address, timeoutMs, done);
  return socket;
}

/**
 * Gives `socket`, connecting to `address`, `timeoutMs` to connect: `done` once it is, or with why
 * not (the socket destroyed then). Not called when the socket is destroyed first.
 */
export function whenConnected(socket: Socket, address: Address, timeoutMs: number, done: (error?: Error) => void): void {
  const fail = (error: Error): void => {
    connectDeadlines.cancel(deadline);
    socket.removeListener('connect', connected);
    socket.destroy();
    done(error);
  };
  const connected = (): void => {
    connectDeadlines.cancel(deadline);
    socket.removeListener('error', fail);
    done();
  };
  const deadline = connectDeadlines.set(timeoutMs, () =>
    fail(new ConnectTimeoutError(formatAddress(address), timeoutMs)),
  );
  // `on` rather than `once` for events that come once anyway: no wrapper per connection.
  socket.on('connect', connected);
  socket.on('error', fail);
  // Destroyed by the caller before connecting (its client left): no verdict on the backend.
  socket.on('close', () => connectDeadlines.cancel(deadline));
}

function refuse(client: Socket, lingerMs: number): void {
  client.resume();
  client.end();
  client.setTimeout(lingerMs, () => client.destroy());
}

const ignoreError = (): void => {};
