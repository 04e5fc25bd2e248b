// How HTTP mode opens a connection to a backend, on the data path serving: a `net.Socket` whose
// reads land in one shared buffer, or a stream handle; the other loopback address is tried once
// when one refuses.
import { connect } from 'node:net';
import type { Backend } from '../backend';
import type { Side } from '../dataPath';
import { otherLoopback } from '../hosts';
import { isRefused } from '../socketErrors';
import { whenConnected } from '../socketPath';
import type { Address } from '../types';
import { SocketConn, type Conn } from './conn';

/** Opens a connection to `address`; `done` once connected, or with why it could not be. */
export type Dial = (address: Address, timeoutMs: number, done: (error?: Error) => void) => Conn;

/**
 * Backends' answers are read into this one buffer and copied out at their size: left to itself,
 * Node gives every read a 64 KiB buffer of its own, which costs more than the copy.
 */
const readBuffer = Buffer.allocUnsafe(64 * 1024);

/** A `net.Socket` to the backend, with a connect timeout. */
export const dialSocket: Dial = (address, timeoutMs, done) => {
  const socket = connect({
    host: address.host,
    port: address.port,
    noDelay: true,
    onread: {
      buffer: readBuffer,
      callback: (bytes, buffer) => {
        conn.received(Buffer.from(buffer.subarray(0, bytes)));
        return true;
      },
    },
  });
  const conn = new SocketConn(socket);
  whenConnected(socket, address, timeoutMs, done);
  return conn;
};

/**
 * Opens a connection to `backend` with `dial`; `done` gets it, or why it could not be opened. Each
 * attempt's object is given to `track` (a stop closes it).
 */
export function openUpstream(
  backend: Backend,
  timeoutMs: number,
  dial: Dial,
  track: (side: Side) => void,
  done: (error: Error | undefined, conn?: Conn) => void,
  host = backend.connectHost,
  otherTried = false,
): void {
  const conn = dial({ host, port: backend.spec.port }, timeoutMs, (error) => {
    if (!error) {
      backend.connectHost = host;
      done(undefined, conn);
      return;
    }
    // A server on this machine may listen on IPv4 or IPv6 only.
    const other = otherLoopback(host);
    if (!otherTried && other && isRefused(error)) openUpstream(backend, timeoutMs, dial, track, done, other, true);
    else done(error);
  });
  track(conn.side);
}
