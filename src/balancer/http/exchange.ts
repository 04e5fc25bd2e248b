// One request's trip to a backend: the backend chosen (sticky one first, request faults drawn), a
// kept or new connection (the next backend when one cannot be connected, a stale kept one retried),
// the head and body sent, the answer relayed, and 502 or 504 when the backend fails it.
import { performance } from 'node:perf_hooks';
import type { Backend } from '../backend';
import type { RequestFault } from '../faults/backendFaults';
import { AnswerReader, type AnswerEvents } from './answerReader';
import { BodyCursor } from './bodyFraming';
import { forwardedAnswerHead, forwardedRequestHead, type ClientAddress } from './heads';
import { isIdempotent, type RequestHead } from './requestHead';
import type { AnswerHead } from './answerHead';
import type { Conn } from '../dataPath';
import type { ExchangeClient, SessionContext } from './sessionContext';
import { stickyBackendId, stickyCookieLine } from './sticky';
import type { BackendConnection, BackendConnectionUser } from './backendConnection';
import type { Outcome } from '../types';
import { Failover } from './failover';
import { Inspection } from './inspection';

export class Exchange implements BackendConnectionUser, AnswerEvents {
  private head?: RequestHead;
  private forwardedHead = '';
  private readonly requestBody = new BodyCursor();
  private readonly answer = new AnswerReader(this);
  /** The backend that took the request, if one did. */
  backend?: Backend;
  /** The status the backend answered, or the balancer for it; 0 before. */
  status = 0;
  /** How the request ended, for the traffic panel; `answered` until something else happens. */
  outcome: Outcome = 'answered';
  /** While someone watches the traffic: what the inspector shows of this request. */
  inspection?: Inspection;
  /** The backend whose requests in progress count this one. */
  private counted?: Backend;
  connection?: BackendConnection;
  /** The backend does not take what is sent as fast: the client is not read meanwhile. */
  backendBlocked = false;
  /** The request was sent whole. */
  sent = false;
  /** After a 101: the backend's bytes go to the client as they are. */
  private tunnel = false;
  /** The client's writes are held (corked) until the chunk read from the backend is passed on. */
  private holding = false;
  /** The backends that could not be connected, after the first. */
  failover?: Failover;
  private retried = false;
  private sentBody = false;
  private sentAt = 0;
  private keepAlive = false;
  /** The backend's connection ends after this answer: it said so, or the answer cannot be trusted. */
  private backendCloses = false;
  private readonly answerTimedOut = (): void => this.failed(504, `${this.backend?.label} did not answer within ${this.context.settings.responseTimeoutMs} ms`);

  constructor(
    private readonly context: SessionContext,
    private readonly client: ExchangeClient,
    private readonly address: ClientAddress,
    /** The client's connection: a backend connection is opened on its behalf. */
    private readonly clientConn: Conn,
    private readonly setDeadline: (ms: number, expire: () => void) => void,
    private readonly cancelDeadline: () => void,
  ) {}

  /** The request's body, if any, is what the client sends now. */
  get readsBody(): boolean {
    return this.connection !== undefined && !this.sent && !this.backendBlocked;
  }

  /** Starts the trip of a request whose head was read; `watchedHead`: its text, when someone watches and the inspector records it. */
  start(head: RequestHead, watchedHead: string | undefined): void {
    this.head = head;
    this.inspection = watchedHead === undefined ? undefined : new Inspection(head, watchedHead);
    this.backend = undefined;
    this.status = 0;
    this.outcome = 'answered';
    this.tunnel = false;
    this.forwardedHead = forwardedRequestHead(head, this.address, this.context.settings);
    this.requestBody.start(head.chunked ? 'chunked' : 'length', head.contentLength);
    this.failover = undefined;
    this.retried = this.sentBody = this.sent = false;
    this.choose();
  }

  /** Picks a backend (the sticky one first) and gets it a connection. */
  private choose(): void {
    const sticky = stickyBackendId(this.head as RequestHead, this.context.settings);
    const backend = this.context.pick(this.failover?.tried, sticky, this.address.ip);
    if (!backend) {
      const why = this.failover?.why ?? `no backend is available (${this.context.whyNone()})`;
      this.context.warn('noBackend', `No backend for a request from ${this.address.ip}: ${why}`);
      this.backend = undefined;
      this.outcome = 'refused';
      this.client.answerFor(502, why, false);
      return;
    }
    this.backend = backend;
    const fault = backend.faults.forRequest();
    this.inspection?.chose(sticky === backend.id, fault);
    const kept = fault ? undefined : this.context.keepAlive.take(backend);
    if (fault) this.faultAnswer(backend, fault);
    else if (kept) this.send(kept);
    else this.connect(backend);
  }

  private connect(backend: Backend): void {
    this.context.open(backend, this.clientConn, (error, connection) => {
      // A client that left meanwhile leaves the connection for the next request; a failure is the backend's all the same.
      if (connection) return this.client.closed ? this.context.keepAlive.release(connection, false) : this.send(connection);
      this.context.connectFailed(backend, error as Error);
      if (this.client.closed) return;
      (this.failover ??= new Failover()).add(backend, error as Error);
      this.choose();
    });
  }

  private send(connection: BackendConnection): void {
    const backend = connection.backend;
    const head = this.head as RequestHead;
    this.connection = connection;
    connection.user = this;
    backend.stats.requestSent();
    // A stale kept connection's request sent again was counted already.
    if (!this.retried) this.context.traffic.sent(backend);
    this.counted = backend;
    this.answer.start(head.method, head.upgrade);
    this.backendBlocked = !connection.write(this.forwardedHead);
    this.sentAt = performance.now();
    this.inspection?.connected(connection.reused, this.forwardedHead);
    const input = this.client.takeInput();
    if (input) this.forwardBody(input);
    else if (this.requestBody.done) this.requestSent();
    else this.client.readingChanged();
  }

  /** Bytes of the request's body from the client; what follows its end is kept for the next request. */
  forwardBody(bytes: Buffer): void {
    const end = this.requestBody.scan(bytes, 0);
    if (end < 0) {
      this.context.warn('refused', `Refused a request from ${this.address.ip}: its chunked body is malformed`);
      this.drop();
      this.client.answerFor(400, 'the chunked request body is malformed', false);
      return;
    }
    if (end > 0) {
      this.sentBody = true;
      this.toBackend(end === bytes.length ? bytes : bytes.subarray(0, end));
    }
    if (this.requestBody.done) {
      if (end < bytes.length) this.client.keepInput(bytes.subarray(end));
      this.requestSent();
    } else if (this.client.clientEnded) this.client.cut();
    else this.client.readingChanged();
  }

  private requestSent(): void {
    this.sent = true;
    this.inspection?.sent();
    this.client.readingChanged();
    if (!this.answer.inBody) this.setDeadline(this.context.settings.responseTimeoutMs, this.answerTimedOut);
  }

  toBackend(bytes: Buffer): void {
    const connection = this.connection;
    if (connection && !connection.conn.destroyed && !connection.write(bytes)) {
      this.backendBlocked = true;
      this.client.readingChanged();
    }
  }

  backendData(chunk: Buffer): void {
    if (this.tunnel) return this.client.forward(chunk);
    this.answer.push(chunk);
    if (this.holding) {
      this.holding = false;
      this.client.release();
    }
  }

  final(bytes: Buffer, from: number, answerHead: AnswerHead): boolean {
    const backend = this.backend as Backend;
    const head = this.head as RequestHead;
    this.answered(answerHead.status);
    this.backendCloses = answerHead.closes;
    // A request whose body is still coming ends the connection: what is left of it is not read.
    this.keepAlive = head.keepAlive && !this.client.clientEnded && this.sent && answerHead.framing !== 'close' && !this.context.draining;
    const cookie = stickyCookieLine(head, backend.id, this.context.settings);
    const rewritten = forwardedAnswerHead(bytes, from, answerHead, this.keepAlive, cookie, head.version === '1.0');
    this.inspection?.answered(rewritten ?? bytes.toString('latin1', from, answerHead.end), cookie !== '');
    if (rewritten === undefined) return true;
    // The rewritten head and the body's first bytes go out in one write.
    this.holding = true;
    this.client.hold();
    this.client.forward(rewritten);
    return false;
  }

  pass(bytes: Buffer): void {
    this.client.forward(bytes);
  }

  ended(trailing: boolean): void {
    const connection = this.connection as BackendConnection;
    this.connection = undefined;
    this.finish();
    this.context.keepAlive.release(connection, trailing || this.backendCloses || !this.sent || this.context.draining);
    this.client.exchangeEnded(this.keepAlive);
  }

  upgraded(rest: Buffer): void {
    this.answered(101);
    this.tunnel = true;
    this.client.tunnelOpened();
    this.client.forward(rest);
    const input = this.client.takeInput();
    if (input) this.toBackend(input);
  }

  malformed(why: string): void {
    this.failed(502, `${this.backend?.label} answered something that is not HTTP/1.x: ${why}`);
  }

  backendEnded(): void {
    if (this.tunnel) this.client.endTunnel();
    else if (this.answer.end()) this.backendCloses = true;
    // Otherwise the answer was cut short: the close says so.
  }

  backendClosed(connection: BackendConnection): void {
    if (this.connection !== connection) return;
    this.connection = undefined;
    connection.user = undefined;
    if (this.tunnel) return connection.error ? this.client.cut() : this.client.endTunnel();
    const backend = connection.backend;
    if (this.answer.untouched && connection.reused && !this.retried && !this.sentBody && isIdempotent((this.head as RequestHead).method)) {
      // The backend closed the kept connection as the request went out: once more, on a new one.
      this.retried = true;
      backend.stats.requestResent();
      this.finish();
      this.cancelDeadline();
      this.connect(backend);
      return;
    }
    const when = this.answer.inBody ? 'in the middle of its answer' : 'without answering';
    this.failed(502, `${backend.label} closed the connection ${when}${connection.error ? ` (${connection.error.message})` : ''}`);
  }

  backendDrained(): void {
    this.backendBlocked = false;
    this.client.readingChanged();
  }

  backendReset(): void {
    this.client.cut();
  }

  /** The answer's head came: it is counted, with how long the backend took. */
  private answered(status: number): void {
    this.status = status;
    this.cancelDeadline();
    const ms = performance.now() - this.sentAt;
    this.context.countAnswer(this.backend as Backend, status, ms);
    if (this.connection?.faulty || this.failover) this.outcome = this.connection?.faulty ? 'fault' : 'failed over';
  }

  /** The request is over, answered or not: it stops counting as in progress at its backend. */
  finish(): void {
    this.counted?.stats.requestEnded();
    this.counted = undefined;
  }

  /** The backend failed the request: a 502 or 504 if the client got nothing yet, else a reset (the answer is cut). */
  private failed(status: 502 | 504, why: string): void {
    const backend = this.backend as Backend;
    this.context.countFailure(backend, status, why);
    this.outcome = status === 504 ? 'timed out' : 'reset';
    this.drop();
    if (!this.answer.untouched) return this.client.cut();
    backend.stats.answered(status);
    this.client.answerFor(status, why, false);
  }

  private faultAnswer(backend: Backend, fault: RequestFault): void {
    this.context.countFault(backend, fault.type === 'http_abort' ? undefined : fault.status);
    this.outcome = 'fault';
    if (fault.type === 'http_abort') return this.client.cut();
    // The request's body, if any, is not read: the connection then ends.
    const keepAlive = (this.head as RequestHead).keepAlive && !this.client.clientEnded && !this.context.draining && this.requestBody.done;
    this.client.answerFor(fault.status, `fault ${fault.name} on ${backend.label}`, keepAlive);
  }

  /** Closes the backend connection of a request that will not end cleanly. */
  drop(): void {
    const connection = this.connection;
    if (!connection) return;
    this.connection = undefined;
    connection.user = undefined;
    connection.conn.destroy();
  }
}
