// The data path on libuv's stream handles, without a `net.Socket` per connection: accept, connect, copy, refuse, abort.
import { lookup } from 'node:dns';
import { createServer, isIP, type Server } from 'node:net';
import { formatAddress } from '../address';
import type { DataPath, Listener } from '../dataPath';
import { Deadlines } from '../deadlines';
import { listenOn } from '../listening';
import type { Address } from '../types';
import { listeningHandle, uvError, type Bindings, type ConnectRequest } from './bindings';
import { HandleSide, useBindings } from './handleSide';
import { HandleConn } from './handleConn';
import { Link } from './link';

/** When each refused client is closed: one timer for all. */
const lingerDeadlines = new Deadlines();

/** What a connect in progress needs when it completes. */
interface Connecting {
  side: HandleSide;
  address: Address;
  done: (error?: Error) => void;
}

let bindings: Bindings;

/** The path, once `bindings` are loaded; `selfTest` proves it before it serves. */
export function handlePath(loaded: Bindings): DataPath<HandleSide> {
  bindings = loaded;
  useBindings(loaded);
  return {
    name: 'handles',
    listen,
    describe,
    onClose: (side, listener) => side.onClose(listener),
    offClose: (side, listener) => side.offClose(listener),
    isClosed: (side) => side.closing,
    connect,
    copy: (client, backendSide, { idleTimeoutMs, faults }, replied, closed, backendFaults) => new Link(client, backendSide, idleTimeoutMs, replied, closed, faults, backendFaults),
    refuse,
    abort: (side) => side.abort(),
    conn: (client) => new HandleConn(client),
    dial: (address, client, done) => new HandleConn(connect(address, client, done)),
  };
}

/**
 * Listens with a `net.Server`, so that binding, sharing with worker processes and closing stay
 * Node's, and takes over its handle's `onconnection`: each client arrives as a bare handle.
 */
async function listen(at: Address, shared: Server | undefined, onClient: (client: HandleSide) => void, onError: (error: Error) => void): Promise<Listener> {
  const server = createServer();
  const listener = await listenOn(server, at, shared, onError);
  const handle = listeningHandle(server);
  if (!handle) {
    await listener.close();
    throw new Error('the listening server has no handle to take over');
  }
  handle.onconnection = (status, client) => {
    if (status < 0 || !client) {
      onError(uvError(status, 'accept'));
      return;
    }
    client.setNoDelay(true);
    const side = new HandleSide(client);
    // Read from the start, so that a client that leaves while its backend is connected is seen to.
    side.startReading();
    onClient(side);
  };
  return listener;
}

function describe(client: HandleSide): string {
  const peer: { address?: string; port?: number } = {};
  client.handle.getpeername(peer);
  return `${peer.address ?? '?'}:${peer.port ?? '?'}`;
}

function connect(address: Address, _client: HandleSide, done: (error?: Error) => void): HandleSide {
  const side = new HandleSide(bindings.newSocketHandle());
  side.connecting = true;
  const attempt: Connecting = { side, address, done };
  if (isIP(address.host) !== 0) {
    start(attempt, address.host);
  } else {
    // A host name: resolved for each connection, as `net.connect` does.
    lookup(address.host, (error, ip) => {
      if (side.closing) return;
      if (error) fail(attempt, error);
      else start(attempt, ip);
    });
  }
  return side;
}

function start(attempt: Connecting, ip: string): void {
  const request = bindings.newConnectRequest();
  request.owner = attempt;
  request.oncomplete = afterConnect;
  const { side, address } = attempt;
  const status = isIP(ip) === 6 ? side.handle.connect6(request, ip, address.port) : side.handle.connect(request, ip, address.port);
  // `done` is never called before `connect` has returned.
  if (status < 0) process.nextTick(fail, attempt, uvError(status, 'connect', formatAddress({ host: ip, port: address.port })));
}

function afterConnect(this: ConnectRequest, status: number): void {
  const attempt = this.owner as Connecting;
  const { side, address } = attempt;
  // Closed first (its client left, or its time ran out): no verdict to give.
  if (side.closing) return;
  if (status < 0) {
    fail(attempt, uvError(status, 'connect', formatAddress(address)));
    return;
  }
  side.connecting = false;
  side.handle.setNoDelay(true);
  attempt.done();
}

function fail(attempt: Connecting, error: Error): void {
  const { side } = attempt;
  if (side.closing) return;
  side.close();
  attempt.done(error);
}

/** Discards what the client sends, sends our FIN, and closes once the client has sent its own, or after `lingerMs`. */
function refuse(client: HandleSide, lingerMs: number): void {
  const deadline = lingerDeadlines.set(lingerMs, () => client.close());
  client.onClose(() => lingerDeadlines.cancel(deadline));
  client.discarding = true;
  client.held = undefined;
  client.startReading();
  client.endWrite();
}
