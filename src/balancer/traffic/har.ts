// Recorded requests as HAR 1.2 (the format browsers' devtools export): each request's heads, sizes
// and times, secrets masked unless asked otherwise; Local LB's own facts in `_` fields.
import { isIP } from 'node:net';
import type { HeaderLine, RequestDetails } from '../types';
import type { TrafficEntry } from './trafficTypes';

/** Headers whose values are secrets: shown masked unless asked otherwise. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
export const MASK = '(masked)';

export interface HarOptions {
  /** `host:port` of the frontend, for the URL of a request without a Host header. */
  frontend: string;
  /** Secrets as they were, not masked. */
  showSecrets?: boolean;
  /** Who made the file: Local LB and its version. */
  creator: { name: string; version: string };
}

interface HarPair {
  name: string;
  value: string;
}

/** A HAR 1.2 log of `entries` (those with details: HTTP mode's requests, recorded while watched). */
export function toHar(entries: readonly TrafficEntry[], options: HarOptions): { log: Record<string, unknown> } {
  return {
    log: {
      version: '1.2',
      creator: options.creator,
      pages: [],
      entries: entries.flatMap((entry) => (entry.details ? [harEntry(entry, entry.details, options)] : [])),
    },
  };
}

/** The value shown of a header: masked when it is a secret, unless asked otherwise. */
export function shownValue(name: string, value: string, showSecrets = false): string {
  return !showSecrets && SECRET_HEADERS.has(name.toLowerCase()) ? MASK : value;
}

/** The URL a request asked for: its absolute target, else its Host (or the frontend) and path. */
export function requestUrl(path: string, details: Pick<RequestDetails, 'host'>, frontend: string): string {
  return /^https?:\/\//i.test(path) ? path : `http://${details.host || frontend}${path.startsWith('/') ? path : `/${path}`}`;
}

function harEntry(entry: TrafficEntry, details: RequestDetails, options: HarOptions): Record<string, unknown> {
  const show = options.showSecrets ?? false;
  const url = requestUrl(entry.path ?? '/', details, options.frontend);
  const { timings, response } = details;
  const time = [timings.blocked, timings.connect, timings.send, timings.wait, timings.receive].reduce((sum, ms) => sum + Math.max(0, ms), 0);
  const responseHeaders = response?.headers ?? [];
  return {
    startedDateTime: new Date(entry.at).toISOString(),
    time,
    request: {
      method: entry.method ?? '',
      url,
      httpVersion: `HTTP/${details.version}`,
      cookies: cookiesOf(details.requestHeaders, 'cookie', show),
      headers: pairs(details.requestHeaders, show),
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
      headersSize: headSize(`${entry.method} ${entry.path} HTTP/${details.version}`, details.requestHeaders),
      bodySize: details.requestBodyBytes,
    },
    response: {
      status: response?.status ?? 0,
      statusText: response?.reason ?? '',
      httpVersion: response ? `HTTP/${response.version}` : '',
      cookies: cookiesOf(responseHeaders, 'set-cookie', show),
      headers: pairs(responseHeaders, show),
      content: { size: details.responseBodyBytes, mimeType: headerValue(responseHeaders, 'content-type') ?? 'x-unknown' },
      redirectURL: headerValue(responseHeaders, 'location') ?? '',
      headersSize: response ? headSize(`HTTP/${response.version} ${response.status} ${response.reason}`, responseHeaders) : -1,
      bodySize: response ? details.responseBodyBytes : -1,
    },
    cache: {},
    timings: { blocked: timings.blocked, dns: -1, connect: timings.connect, send: timings.send, wait: timings.wait, receive: timings.receive, ssl: -1 },
    ...(entry.backend && isIP(hostOf(entry.backend)) ? { serverIPAddress: hostOf(entry.backend) } : {}),
    _backend: entry.backend ?? null,
    _outcome: entry.outcome,
    _reusedConnection: details.reusedConnection,
    _addedHeaders: pairs(details.addedHeaders, show),
    _removedHeaders: details.removedHeaders,
    ...(details.attempts ? { _attempts: details.attempts } : {}),
    ...(details.fault ? { _fault: details.fault } : {}),
    ...(details.sticky ? { _sticky: details.sticky } : {}),
    ...(details.ownAnswer ? { _ownAnswer: details.ownAnswer } : {}),
  };
}

function pairs(headers: readonly HeaderLine[], show: boolean): HarPair[] {
  return headers.map(([name, value]) => ({ name, value: shownValue(name, value, show) }));
}

/** The cookies of the `Cookie` header (`name=value; …`) or of each `Set-Cookie` (its first pair). */
function cookiesOf(headers: readonly HeaderLine[], header: 'cookie' | 'set-cookie', show: boolean): HarPair[] {
  const cookies: HarPair[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== header) continue;
    const parts = header === 'cookie' ? value.split(';') : [value.split(';')[0]];
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      cookies.push({ name: part.slice(0, eq).trim(), value: show ? part.slice(eq + 1).trim() : MASK });
    }
  }
  return cookies;
}

function headerValue(headers: readonly HeaderLine[], name: string): string | undefined {
  return headers.find(([own]) => own.toLowerCase() === name)?.[1];
}

/** Bytes of a head: its first line, its header lines and the blank line. */
function headSize(firstLine: string, headers: readonly HeaderLine[]): number {
  let bytes = firstLine.length + 4;
  for (const [name, value] of headers) bytes += name.length + value.length + 4;
  return bytes;
}

/** The host of a backend id (`host:port`, `[v6]:port`). */
function hostOf(id: string): string {
  const colon = id.lastIndexOf(':');
  return id.slice(0, colon).replace(/^\[|\]$/g, '');
}
