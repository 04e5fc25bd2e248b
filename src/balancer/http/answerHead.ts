// A backend's HTTP/1.x answer head: only what passing it on needs (status, where its body ends,
// whether the connection stays open). Everything else in it passes as the backend wrote it.
import type { Framing } from './bodyFraming';

/** The most an answer's head may weigh; above it the answer is replaced by a 502. */
export const MAX_RESPONSE_HEAD_BYTES = 64 * 1024;

export interface AnswerHead {
  status: number;
  /** Where the head ends (after its blank line), counted from the start of the buffer given. */
  end: number;
  framing: Framing;
  contentLength: number;
  /** The backend will close the connection after this answer (or says so). */
  closes: boolean;
  /** The head has Connection or Keep-Alive lines (hop by hop: about the backend's connection, not the client's). */
  hopByHop: boolean;
}

export type AnswerHeadResult = { head: AnswerHead } | { malformed: string } | { incomplete: true };

/** Parses the answer head that starts at `from` in `bytes`; `method` is the request's (a HEAD answer has no body). */
export function parseAnswerHead(bytes: Buffer, from: number, method: string): AnswerHeadResult {
  const blank = bytes.indexOf('\r\n\r\n', from, 'latin1');
  if (blank < 0) return bytes.length - from > MAX_RESPONSE_HEAD_BYTES ? malformed(`its head is over ${MAX_RESPONSE_HEAD_BYTES} bytes`) : { incomplete: true };
  const text = bytes.toString('latin1', from, blank + 2);
  // "HTTP/1.x NNN" and a space or the line's end.
  if (!text.startsWith('HTTP/1.') || (text[7] !== '1' && text[7] !== '0') || text[8] !== ' ' || !isStatus(text, 9)) {
    return malformed(`its status line ${JSON.stringify(text.slice(0, Math.max(0, text.indexOf('\r'))).slice(0, 60))} is not HTTP/1.x`);
  }
  const http10 = text[7] === '0';
  const status = Number(text.slice(9, 12));
  let lengths: string | undefined;
  let chunked: boolean | undefined;
  let connection = '';
  let hopByHop = false;
  for (let start = text.indexOf('\r\n') + 2; start < text.length; ) {
    const lineEnd = text.indexOf('\r\n', start);
    const colon = text.indexOf(':', start);
    if (colon < 0 || colon > lineEnd) return malformed(`a header line ${JSON.stringify(text.slice(start, lineEnd).slice(0, 60))} has no colon`);
    const nameLength = colon - start;
    // Only the few headers that decide framing and the connection are looked at.
    if (nameLength === 14 || nameLength === 17 || nameLength === 10) {
      const name = text.slice(start, colon).toLowerCase();
      const value = text.slice(colon + 1, lineEnd).trim();
      if (name === 'content-length') {
        if (lengths !== undefined && lengths !== value) return malformed(`differing Content-Length headers (${lengths}, ${value})`);
        if (!/^\d{1,15}$/.test(value)) return malformed(`its Content-Length ${JSON.stringify(value.slice(0, 30))} is not a number`);
        lengths = value;
      } else if (name === 'transfer-encoding') {
        chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      } else if (name === 'connection' || name === 'keep-alive') {
        hopByHop = true;
        if (name === 'connection') connection += `,${value.toLowerCase()}`;
      }
    }
    start = lineEnd + 2;
  }
  const bodiless = method === 'HEAD' || status < 200 || status === 204 || status === 304;
  // A Transfer-Encoding whose last coding is not chunked ends at the connection's end (RFC 9112, 6.3).
  const framing: Framing = bodiless ? 'none' : chunked !== undefined ? (chunked ? 'chunked' : 'close') : lengths !== undefined ? 'length' : 'close';
  const tokens = connection.split(',');
  const closes = framing === 'close' || (http10 ? !tokens.some((token) => token.trim() === 'keep-alive') : tokens.some((token) => token.trim() === 'close'));
  return {
    head: {
      status,
      end: blank + 4,
      framing,
      contentLength: framing === 'length' ? Number(lengths) : 0,
      closes,
      hopByHop,
    },
  };
}

function isStatus(text: string, at: number): boolean {
  for (let i = at; i < at + 3; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  const after = text[at + 3];
  return after === ' ' || after === '\r';
}

const malformed = (why: string): { malformed: string } => ({ malformed: why });
