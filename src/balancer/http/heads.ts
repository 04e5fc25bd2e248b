// The heads the HTTP mode writes: a request as forwarded to a backend (with the X-Forwarded-* and
// Forwarded headers), an answer as passed to the client, and the answers the balancer makes itself.
import { isIPv6 } from 'node:net';
import type { RequestHead } from './requestHead';
import type { AnswerHead } from './answerHead';
import { withoutStickyCookie, type StickySettings } from './sticky';

/** What the forwarded headers say about a client: computed once per connection. */
export interface ClientAddress {
  /** For X-Forwarded-For. */
  ip: string;
  /** For Forwarded's `for=`: an IPv6 address quoted and in brackets. */
  forwardedFor: string;
}

export function clientAddress(ip: string | undefined): ClientAddress {
  const address = ip ?? 'unknown';
  return { ip: address, forwardedFor: isIPv6(address) ? `"[${address}]"` : address };
}

/**
 * The request head a backend gets: the client's, minus the headers about the client's own
 * connection (Connection, Keep-Alive, Proxy-Connection), plus who asked. An X-Forwarded-For or
 * Forwarded the client sent is kept and appended to; X-Forwarded-Host and -Proto are ours. With
 * sticky sessions on, the sticky cookie stays out of the Cookie header.
 */
export function forwardedRequestHead(head: RequestHead, client: ClientAddress, sticky?: StickySettings): string {
  let text = `${head.method} ${head.target} HTTP/${head.version}\r\n`;
  let forwardedFor: string | undefined;
  let forwarded: string | undefined;
  for (const [name, value] of head.headers) {
    switch (name.length === 6 || name.length === 9 || name.length === 10 || name.length === 15 || name.length === 16 || name.length === 17 ? name.toLowerCase() : '') {
      case 'connection':
      case 'keep-alive':
      case 'proxy-connection':
      case 'x-forwarded-host':
      case 'x-forwarded-proto':
        continue;
      case 'x-forwarded-for':
        forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
        continue;
      case 'forwarded':
        forwarded = forwarded === undefined ? value : `${forwarded}, ${value}`;
        continue;
      case 'cookie':
        if (sticky?.sticky) {
          const others = withoutStickyCookie(value, sticky.stickyCookie);
          if (others) text += `${name}: ${others}\r\n`;
          continue;
        }
    }
    text += `${name}: ${value}\r\n`;
  }
  const host = head.host;
  text += `X-Forwarded-For: ${forwardedFor === undefined ? client.ip : `${forwardedFor}, ${client.ip}`}\r\n`;
  if (host !== undefined) text += `X-Forwarded-Host: ${host}\r\n`;
  text += 'X-Forwarded-Proto: http\r\n';
  const element = `for=${client.forwardedFor}${host !== undefined ? `;host=${quoted(host)}` : ''};proto=http`;
  text += `Forwarded: ${forwarded === undefined ? element : `${forwarded}, ${element}`}\r\n`;
  if (head.upgrade) text += 'Connection: Upgrade\r\n';
  else if (head.version === '1.0') text += 'Connection: keep-alive\r\n';
  return `${text}\r\n`;
}

/**
 * The answer head as the client gets it: undefined when it goes as the backend wrote it, which is
 * unless the connection's fate differs from what it says, a header is added (a sticky cookie), or
 * an HTTP/1.0 client stays connected (it must be told so); then its Connection and Keep-Alive
 * lines are replaced by the balancer's.
 */
export function forwardedAnswerHead(bytes: Buffer, from: number, answer: AnswerHead, keepAlive: boolean, extra: string, http10 = false): string | undefined {
  if (extra === '' && keepAlive === !answer.closes && !(http10 && keepAlive)) return undefined;
  const lines = bytes.toString('latin1', from, answer.end - 4).split('\r\n');
  let text = `${lines[0]}\r\n`;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (answer.hopByHop && isHopByHop(line)) continue;
    text += `${line}\r\n`;
  }
  return `${text}${extra}${keepAlive ? 'Connection: keep-alive\r\n' : 'Connection: close\r\n'}\r\n`;
}

function isHopByHop(line: string): boolean {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).toLowerCase();
  return name === 'connection' || name === 'keep-alive';
}

/** Forwarded's `host=` is a token or a quoted string; a host with a port has a colon, so it is quoted. */
function quoted(value: string): string {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
};

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'Unknown';
}

/** An answer the balancer makes itself: plain text naming why, e.g. `502 Bad Gateway: all 3 backends are down`. */
export function balancerAnswer(status: number, reason: string, keepAlive: boolean): string {
  const body = `${status} ${statusText(status)}: ${reason}\n`;
  return (
    `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n${body}`
  );
}
