// One request looked into while someone watches the traffic: when each step happened, what Local LB
// changed in its head, the answer's head as the client got it. Made only while watched.
import { performance } from 'node:perf_hooks';
import type { RequestFault } from '../faults/backendFaults';
import { headerLines } from '../traffic/requestDetails';
import type { RecordedRequest } from '../types';
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
  private answerHead?: string;
  private fault?: string;
  private sticky?: 'kept' | 'set';
  ownAnswer?: string;

  /** `headText`: the head as the client sent it, without its blank line. */
  constructor(
    private readonly head: RequestHead,
    private readonly headText: string,
  ) {}

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
    this.answerHead = blank < 0 ? head : head.slice(0, blank);
  }

  /** What the record keeps, at the request's end; `bytesIn` and `bytesOut` are the client's. */
  details(bytesIn: number, bytesOut: number, failover: Failover | undefined): RecordedRequest {
    const end = performance.now();
    const { head } = this;
    // Each step lasts from the one before to its own time; a step not taken lasts nothing (-1 for connect).
    const connectAt = this.connectAt < 0 ? end : this.connectAt;
    const connectedAt = this.connectedAt < 0 ? connectAt : this.connectedAt;
    const sentAt = this.sentAt < 0 ? connectedAt : this.sentAt;
    const answerAt = this.answerAt < 0 ? end : Math.max(this.answerAt, sentAt);
    const forwarded = headerLines(this.forwardedHead);
    const same = (name: string, value: string) => ([other, otherValue]: [string, string]): boolean => other.toLowerCase() === name.toLowerCase() && otherValue === value;
    return {
      requestHead: this.headText,
      ...(this.answerHead === undefined ? {} : { answerHead: this.answerHead }),
      addedHeaders: forwarded.filter(([name, value]) => !head.headers.some(same(name, value))),
      removedHeaders: this.forwardedHead === '' ? [] : head.headers.filter(([name, value]) => !forwarded.some(same(name, value))).map(([name]) => name),
      requestBodyBytes: Math.max(0, bytesIn - head.headBytes),
      responseBodyBytes: this.answerHead === undefined ? 0 : Math.max(0, bytesOut - this.answerHead.length - 4),
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
}

const round = (ms: number): number => Math.round(Math.max(0, ms) * 1000) / 1000;
