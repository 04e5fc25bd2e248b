// Requests a browser could be tricked into making (DNS rebinding, a page elsewhere) name another
// host: the admin endpoint's panel and changes answer only requests for localhost or a loopback address.
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../balancer';

/** Why the request is refused, or undefined when its Host is localhost or a loopback address. */
export function foreignHost(req: IncomingMessage, what: string): string | undefined {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || isLoopbackHost(host)) return undefined;
  return `${what} only for Host localhost or a loopback address, not ${JSON.stringify(req.headers.host ?? '')}.`;
}
