// A recorded request as a curl command that sends it again through the balancer's frontend: its
// method, URL and headers (hop-by-hop ones left out, which curl writes itself), single-quoted.
import type { RequestDetails } from '../types';
import { requestUrl } from './har';
import { NOT_RESENT } from './requestDetails';
import type { TrafficEntry } from './trafficTypes';


/**
 * `curl` with the request of `entry` to `frontend` (`host:port`). The Host header stays the one the
 * client sent. Secrets are copied as they were: the command repeats the request.
 */
export function curlCommand(entry: TrafficEntry & { details: RequestDetails }, frontend: string): string {
  const { details } = entry;
  const path = entry.path ?? '/';
  // Sent to the frontend whatever the URL's host: the Host header says which the request was for.
  const url = new URL(requestUrl(path, { host: frontend }, frontend));
  const words = ['curl', '--silent', '--show-error', '--include', '--request', entry.method ?? 'GET', `http://${frontend}${url.pathname}${url.search}`];
  if (details.host) words.push('--header', `Host: ${details.host}`);
  for (const [name, value] of details.requestHeaders) {
    // Host is given above, before the others.
    const lower = name.toLowerCase();
    if (lower !== 'host' && !NOT_RESENT.has(lower)) words.push('--header', `${name}: ${value}`);
  }
  if (details.version === '1.0') words.push('--http1.0');
  return words.map(quote).join(' ');
}

/** A word for a POSIX shell: as it is when it is plain, else in single quotes. */
function quote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
