// Listening for a data path: binding a `net.Server` (or taking over a shared one), with the errors named.
import type { AddressInfo, Server } from 'node:net';
import type { Listener } from './dataPath';
import { listenError } from './socketErrors';
import type { Address } from './types';

/**
 * Connections the kernel may queue before we accept them (capped by net.core.somaxconn). Node's
 * default of 511 overflows in a burst of clients, and a silent client is then left half-connected.
 */
const LISTEN_BACKLOG = 4096;

/**
 * Makes `server` listen on `at`, or on `shared`'s socket (a server another process listens with).
 * Rejects, with nothing listening, when the address cannot be bound; later errors (running out of
 * descriptors) go to `onError` and accepting goes on.
 */
export async function listenOn(server: Server, at: Address, shared: Server | undefined, onError: (error: Error) => void): Promise<Listener> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const listening = (): void => {
        server.removeListener('error', reject);
        resolve();
      };
      if (shared) server.listen(shared, listening);
      else server.listen({ host: at.host, port: at.port, backlog: LISTEN_BACKLOG }, listening);
    });
  } catch (error) {
    throw listenError(error, at);
  }
  // libuv keeps accepting after an error; out of descriptors, it closes the connections it cannot take.
  server.on('error', onError);
  return {
    address: { host: at.host, port: (server.address() as AddressInfo).port },
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
