// One request looked into while someone watches the traffic: when each step happened, what Local LB
// changed in its head, the answer's head as the client got it. Made only while watched.
import { performance } from 'node:perf_hooks';
import type { HeaderLine, RequestDetails } from '../types';
import type { RequestFault } from '../faults/backendFaults';
import type { Failover } from './failover';
import type { RequestHead } from './requestHead';

export class Inspection {
  private readonly startedAt = performance.now();
  private connectAt = -1;
  private connectedAt = -1;
  private sentAt = -1;
  private answerAt = -1;
  private reused = false;
  private forwardedHead = '';
  private response?: RequestDetails['response'];
  private fault?: string;
  private sticky?: 'kept' | 'set';
  ownAnswer?: string;

  constructor(private readonly head: RequestHead) {}

  /**
   * A backend was chosen (again, after a failover): by the client's sticky cookie or not, with the
   * request fault that answers for it, if one does. Its connection is asked for now.
   */
  chose(bySticky: boolean, fault: RequestFault | undefined): void {
    this.connectAt = performance.now();
    if (bySticky) this.sticky = 'kept';
    if (fault) this.fault = `${fault.name}: ${fault.type === 'http_abort' ? 'the connection cut' : `answered ${fault.status}`}`;
  }

  /** The request goes out on a new connection, or a kept one. */
  connected(reused: boolean, forwardedHead: string): void {
    const now = performance.now();
    if (reused) this.connectAt = now;
    this.connectedAt = now;
    this.reused = reused;
    this.forwardedHead = forwardedHead;
  }

  sent(): void {
    this.sentAt = performance.now();
  }

  /** The answer's head as the client gets it (the backend's rewritten, or the balancer's own); `setsSticky`: it sets the sticky cookie. */
  answered(head: string, setsSticky = false): void {
    if (setsSticky) this.sticky = 'set';
    if (this.answerAt < 0) this.answerAt = performance.now();
    const blank = head.indexOf('\r\n\r\n');
    this.response = parseAnswer(blank < 0 ? head : head.slice(0, blank));
  }

  /** What the record keeps, at the request's end; `bytesIn` and `bytesOut` are the client's. */
  details(bytesIn: number, bytesOut: number, failover: Failover | undefined): RequestDetails {
    const end = performance.now();
    const { head } = this;
    // Each step lasts from the one before to its own time; a step not taken lasts nothing (-1 for connect).
    const connectAt = this.connectAt < 0 ? end : this.connectAt;
    const connectedAt = this.connectedAt < 0 ? connectAt : this.connectedAt;
    const sentAt = this.sentAt < 0 ? connectedAt : this.sentAt;
    const answerAt = this.answerAt < 0 ? end : Math.max(this.answerAt, sentAt);
    const forwarded = headerLines(this.forwardedHead);
    return {
      host: head.host ?? '',
      version: head.version,
      requestHeaders: head.headers,
      addedHeaders: forwarded.filter(([name, value]) => !head.headers.some(([own, ownValue]) => own.toLowerCase() === name.toLowerCase() && ownValue === value)),
      removedHeaders: this.forwardedHead === '' ? [] : head.headers.filter(([name, value]) => !forwarded.some(([sent, sentValue]) => sent.toLowerCase() === name.toLowerCase() && sentValue === value)).map(([name]) => name),
      ...(this.response ? { response: this.response } : {}),
      requestBodyBytes: Math.max(0, bytesIn - head.headBytes),
      responseBodyBytes: Math.max(0, bytesOut - this.responseHeadBytes),
      timings: {
        blocked: round(connectAt - this.startedAt),
        connect: this.reused ? -1 : round(connectedAt - connectAt),
        send: round(sentAt - connectedAt),
        wait: round(answerAt - sentAt),
        receive: round(end - answerAt),
      },
      reusedConnection: this.reused,
      ...(failover ? { attempts: failover.attempts } : {}),
      ...(this.fault ? { fault: this.fault } : {}),
      ...(this.sticky ? { sticky: this.sticky } : {}),
      ...(this.ownAnswer ? { ownAnswer: this.ownAnswer } : {}),
    };
  }

  /** Bytes of the answer's head as the client got it, for the body's size. */
  private get responseHeadBytes(): number {
    const response = this.response;
    if (!response) return 0;
    let bytes = `HTTP/${response.version} ${response.status} ${response.reason}\r\n\r\n`.length;
    for (const [name, value] of response.headers) bytes += name.length + value.length + 4;
    return bytes;
  }
}

const round = (ms: number): number => Math.round(Math.max(0, ms) * 1000) / 1000;

/** The header lines of a head written by Local LB or passed on by it (valid already), after its first line. */
function headerLines(head: string): HeaderLine[] {
  return head
    .split('\r\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
}

function parseAnswer(head: string): RequestDetails['response'] {
  const lineEnd = head.indexOf('\r\n');
  const match = /^HTTP\/(1\.[01]) (\d{3}) ?(.*)$/.exec(lineEnd < 0 ? head : head.slice(0, lineEnd));
  return { status: Number(match?.[2] ?? 0), reason: match?.[3] ?? '', version: match?.[1] ?? '1.1', headers: headerLines(head) };
}
