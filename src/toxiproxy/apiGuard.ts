// Who may drive the toxiproxy API: its clients, not web pages. Toxiproxy refuses browsers by their
// user agent; a page can also reach loopback through a rebound DNS name, or send a request with an
// Origin or a Sec-Fetch-Site, so those are refused too. No CORS header is ever sent.
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../balancer';

/** Why the request is refused (403), or undefined when a client may make it. `host`: the API's own listening host, taken as a Host too. */
export function refusal(req: IncomingMessage, host: string): string | undefined {
  if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) return 'User agent not allowed';
  if (req.headers.origin !== undefined) return 'Requests from web pages (with an Origin header) are not allowed';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none') return `Requests from web pages (Sec-Fetch-Site: ${site}) are not allowed`;
  const named = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (named !== 'localhost' && named !== host && !isLoopbackHost(named)) return `Only requests for localhost or a loopback address are taken, not Host ${JSON.stringify(req.headers.host ?? '')}`;
  return undefined;
}
