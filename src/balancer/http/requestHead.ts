// An HTTP/1.x request head, parsed strictly: what the HTTP mode needs to balance a request, or the
// status that refuses it (400, 431, 501, 505), so that a backend never sees a smuggled request.

/** The most a request head may weigh, request line and headers; above it the answer is 431. */
export const MAX_HEAD_BYTES = 16 * 1024;

export interface RequestHead {
  method: string;
  target: string;
  version: '1.0' | '1.1';
  /** As received, names in their case, in order. */
  headers: Array<[name: string, value: string]>;
  /** The Host header's value: required in HTTP/1.1, once. */
  host?: string;
  /** The body's length when it has one of known length; 0 when it has none. */
  contentLength: number;
  /** The body comes in chunks (`Transfer-Encoding: chunked`). */
  chunked: boolean;
  /** The connection stays open after the answer, as the request asks (or its version implies). */
  keepAlive: boolean;
  /** `Expect: 100-continue`: the client waits for a go-ahead before sending its body. */
  expectContinue: boolean;
  /** `Connection: upgrade` with an `Upgrade` header (WebSocket): after a 101, bytes are copied as in TCP mode. */
  upgrade: boolean;
  /** Bytes of the head, up to and with its blank line; what follows is the body or the next request. */
  headBytes: number;
}

export interface RefusedHead {
  status: 400 | 431 | 501 | 505;
  /** Why, for the answer's body and the log. */
  reason: string;
}

export type HeadResult = { head: RequestHead } | { refused: RefusedHead } | { incomplete: true };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header values: visible characters, spaces and tabs, and obs-text; never CR, LF or other controls. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TARGET = /^[\x21-\x7e\x80-\xff]+$/;
const DIGITS = /^\d{1,15}$/;

/**
 * Parses the request head at the start of `bytes` (latin1, as HTTP's octets). `incomplete` while
 * its blank line has not arrived and it is still under `MAX_HEAD_BYTES`.
 */
export function parseRequestHead(bytes: Buffer): HeadResult {
  const end = bytes.indexOf('\r\n\r\n', 0, 'latin1');
  if (end < 0) return bytes.length >= MAX_HEAD_BYTES ? refuse(431, `the request head is over ${MAX_HEAD_BYTES} bytes`) : { incomplete: true };
  if (end + 4 > MAX_HEAD_BYTES) return refuse(431, `the request head is over ${MAX_HEAD_BYTES} bytes`);
  const lines = bytes.toString('latin1', 0, end).split('\r\n');
  const requestLine = lines[0];
  const parts = requestLine.split(' ');
  if (parts.length !== 3) return refuse(400, `malformed request line ${JSON.stringify(requestLine.slice(0, 100))}`);
  const [method, target, protocol] = parts;
  if (!TOKEN.test(method)) return refuse(400, `malformed method ${JSON.stringify(method.slice(0, 40))}`);
  if (!TARGET.test(target)) return refuse(400, `malformed request target ${JSON.stringify(target.slice(0, 100))}`);
  const version = /^HTTP\/1\.([01])$/.exec(protocol);
  if (!version) return /^HTTP\/\d\.\d$/.test(protocol) ? refuse(505, `${protocol} is not supported: HTTP/1.0 and HTTP/1.1 are`) : refuse(400, `malformed protocol ${JSON.stringify(protocol.slice(0, 20))}`);

  const headers: Array<[string, string]> = [];
  const lengths = new Set<string>();
  let transferEncoding: string | undefined;
  let connection = '';
  let expect = '';
  let hasUpgrade = false;
  let host: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith(' ') || line.startsWith('\t')) return refuse(400, 'a header line folded onto the next (obsolete line folding)');
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!TOKEN.test(name)) return refuse(400, `malformed header line ${JSON.stringify(line.slice(0, 100))}`);
    const value = line.slice(colon + 1).trim();
    if (!FIELD_VALUE.test(value) || value.includes('\r') || value.includes('\n')) return refuse(400, `header ${name} has a control character in its value`);
    headers.push([name, value]);
    switch (name.toLowerCase()) {
      case 'content-length':
        for (const one of value.split(',')) {
          const trimmed = one.trim();
          if (!DIGITS.test(trimmed)) return refuse(400, `Content-Length ${JSON.stringify(value.slice(0, 40))} is not a number`);
          lengths.add(String(Number(trimmed)));
        }
        break;
      case 'transfer-encoding':
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        break;
      case 'connection':
        connection += `,${value.toLowerCase()}`;
        break;
      case 'expect':
        expect = value.toLowerCase();
        break;
      case 'upgrade':
        hasUpgrade = value !== '';
        break;
      case 'host':
        if (host !== undefined) return refuse(400, 'more than one Host header');
        host = value;
        break;
    }
  }
  if (host === undefined && version[1] === '1') return refuse(400, 'no Host header, which HTTP/1.1 requires');
  if (lengths.size > 1) return refuse(400, `differing Content-Length headers (${[...lengths].join(', ')})`);
  if (transferEncoding !== undefined && lengths.size > 0) return refuse(400, 'both Content-Length and Transfer-Encoding');
  let chunked = false;
  if (transferEncoding !== undefined) {
    if (version[1] === '0') return refuse(400, 'Transfer-Encoding in an HTTP/1.0 request');
    const codings = transferEncoding.split(',').map((coding) => coding.trim().toLowerCase());
    if (codings.length !== 1 || codings[0] !== 'chunked') return refuse(501, `Transfer-Encoding ${JSON.stringify(transferEncoding.slice(0, 60))} is not supported: only chunked is`);
    chunked = true;
  }
  const tokens = new Set(connection.split(',').map((token) => token.trim()).filter(Boolean));
  return {
    head: {
      method,
      target,
      version: version[1] === '1' ? '1.1' : '1.0',
      headers,
      host,
      contentLength: lengths.size === 1 ? Number([...lengths][0]) : 0,
      chunked,
      keepAlive: version[1] === '1' ? !tokens.has('close') : tokens.has('keep-alive'),
      expectContinue: expect === '100-continue',
      upgrade: hasUpgrade && tokens.has('upgrade'),
      headBytes: end + 4,
    },
  };
}

/** What a connection's first bytes say it speaks: TLS and HTTP/2 are passed through as TCP. */
export function protocolOf(firstBytes: Buffer): 'http/1' | 'tls' | 'h2' {
  // A TLS record of type handshake (22), version 3.x.
  if (firstBytes.length >= 2 && firstBytes[0] === 0x16 && firstBytes[1] === 0x03) return 'tls';
  if (firstBytes.toString('latin1', 0, 14) === 'PRI * HTTP/2.0') return 'h2';
  return 'http/1';
}

function refuse(status: RefusedHead['status'], reason: string): { refused: RefusedHead } {
  return { refused: { status, reason } };
}

/** Methods whose request may be sent again (RFC 9110, 9.2.2) when a reused connection turned out closed. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

export const isIdempotent = (method: string): boolean => IDEMPOTENT.has(method);
