// A recorded request read for people: its heads, kept as text, split into their lines and headers.
import type { HeaderLine, RecordedRequest, RequestDetails } from '../types';

/**
 * Headers about the connection a request came on, or about its body's framing: a request sent
 * again (replayed, or copied as curl) gets them anew, not as they were.
 */
export const NOT_RESENT: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'expect']);

/** What `recorded` says, its heads read. */
export function requestDetails(recorded: RecordedRequest): RequestDetails {
  const { requestHead, answerHead, ...rest } = recorded;
  const requestHeaders = headerLines(requestHead);
  const version = /HTTP\/(1\.[01])$/.exec(firstLine(requestHead))?.[1] ?? '1.1';
  const host = requestHeaders.find(([name]) => name.toLowerCase() === 'host')?.[1] ?? '';
  return { host, version, requestHeaders, ...rest, ...(answerHead === undefined ? {} : { response: answerOf(answerHead) }) };
}

function firstLine(head: string): string {
  const end = head.indexOf('\r\n');
  return end < 0 ? head : head.slice(0, end);
}

/** The header lines of a head, after its first line: the engine wrote or checked them, so each has its colon. */
export function headerLines(head: string): HeaderLine[] {
  return head
    .split('\r\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
}

function answerOf(head: string): NonNullable<RequestDetails['response']> {
  const match = /^HTTP\/(1\.[01]) (\d{3}) ?(.*)$/.exec(firstLine(head));
  return { status: Number(match?.[2] ?? 0), reason: match?.[3] ?? '', version: match?.[1] ?? '1.1', headers: headerLines(head) };
}
