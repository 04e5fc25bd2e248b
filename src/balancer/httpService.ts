// An HTTP server of Local LB's own (the admin endpoint, toxiproxy's API) listening on its address,
// a port in use named in words, and a close that ends kept-alive connections too.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatAddress } from './address';
import type { Address } from './types';

export interface HttpService {
  /** Where it listens: the port bound when 0 was asked. */
  address: Address;
  close(): Promise<void>;
}

/** Listens `server` on `at`; rejects naming `what` ("The admin endpoint") and the address when it cannot. */
export async function serveHttp(server: Server, at: Address, what: string): Promise<HttpService> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: at.host, port: at.port }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    const where = formatAddress(at);
    throw new Error(error.code === 'EADDRINUSE' ? `${what}'s port ${at.port} is already in use (${where}).` : `Cannot serve ${what.toLowerCase()} on ${where}: ${error.message}`);
  });
  return {
    address: { host: at.host, port: (server.address() as AddressInfo).port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
