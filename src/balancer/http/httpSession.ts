// One client connection in HTTP mode: its requests one after the other (pipelined ones wait their
// turn), each sent to a backend of its own, bodies streamed both ways with backpressure.
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Backend } from '../backend';
import type { RequestFault } from '../faults/backendFaults';
import type { Deadline, Deadlines } from '../deadlines';
import { abort } from '../socketCopy';
import { BodyCursor } from './bodyFraming';
import { answerHead, balancerAnswer, clientAddress, forwardedRequestHead, type ClientAddress } from './heads';
import type { HttpFrontend } from './httpFrontend';
import { parseRequestHead, protocolOf, type RequestHead } from './requestHead';
import { parseResponseHead } from './responseHead';
import { stickyBackendId, stickyCookieLine } from './sticky';
import type { Upstream, UpstreamUser } from './upstream';

const enum Phase {
  /** Waiting for a request head. */
  Head,
  /** A head arrived; a backend connection is being found. */
  Connecting,
  /** The request body streams to the backend. */
  Body,
  /** The request was sent whole; its answer comes. */
  Awaiting,
  /** After a 101: bytes copied both ways. */
  Tunnel,
  /** The connection ends: nothing more is read. */
  Closing,
}

/** Methods whose request may be sent again (RFC 9110, 9.2.2) when a reused connection turned out closed. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** The first bytes of the HTTP/2 preface, to wait for when a connection's first read is shorter. */
const H2_PREFACE = 'PRI * HTTP/2.0';

export class HttpSession implements UpstreamUser {
  private phase = Phase.Head;
  private readonly address: ClientAddress;
  /** Bytes from the client not used yet: a head coming, or pipelined requests waiting. */
  private input?: Buffer;
  private first = true;
  private head?: RequestHead;
  private forwardedHead = '';
  private readonly requestBody = new BodyCursor();
  private readonly answerBody = new BodyCursor();
  private backend?: Backend;
  /** The backend whose requests in progress count this one. */
  private counted?: Backend;
  private upstream?: Upstream;
  private tried?: Set<Backend>;
  private failures?: string[];
  private retried = false;
  private sentBody = false;
  /** The answer's head (a final one) went to the client. */
  private answering = false;
  /** Bytes of an answer head not complete yet. */
  private answerInput?: Buffer;
  private interimSent = false;
  private keepAlive = false;
  private backendCloses = false;
  private sentAt = 0;
  private clientEnded = false;
  private clientBlocked = false;
  private upstreamBlocked = false;
  private reading = true;
  private deadline?: Deadline;
  private deadlines?: Deadlines;
  private closed = false;

  constructor(
    private readonly client: Socket,
    private readonly frontend: HttpFrontend,
  ) {
    this.address = clientAddress(client.remoteAddress);
    client.on('data', (chunk: Buffer) => this.clientData(chunk));
    client.on('end', () => this.clientEnd());
    client.on('drain', () => {
      this.clientBlocked = false;
      this.upstream?.socket.resume();
    });
    client.on('close', () => this.clientClosed());
    this.waitForHead();
  }

  /** The balancer stops: an idle connection closes now, a busy one after its answer. */
  drain(): void {
    if (this.phase === Phase.Head && !this.input) this.close();
  }

  private clientData(chunk: Buffer): void {
    switch (this.phase) {
      case Phase.Head:
        this.input = this.input ? Buffer.concat([this.input, chunk]) : chunk;
        this.readHead();
        return;
      case Phase.Body:
        this.forwardBody(chunk);
        return;
      case Phase.Tunnel:
        this.toUpstream(chunk);
        return;
      case Phase.Closing:
        return;
      default:
        // Pipelined requests wait for the answer before theirs; reading stops until then.
        this.input = this.input ? Buffer.concat([this.input, chunk]) : chunk;
        this.updateReading();
    }
  }

  private readHead(): void {
    const input = this.input as Buffer;
    if (this.first) {
      const text = input.toString('latin1', 0, H2_PREFACE.length);
      if (text.length < H2_PREFACE.length && H2_PREFACE.startsWith(text)) return;
      this.first = false;
      const protocol = protocolOf(input);
      if (protocol !== 'http/1') {
        this.cancelDeadline();
        this.phase = Phase.Closing;
        this.input = undefined;
        this.frontend.passThrough(this.client, input, protocol);
        return;
      }
    }
    const result = parseRequestHead(input);
    if ('incomplete' in result) return;
    this.cancelDeadline();
    this.frontend.stats.total++;
    if ('refused' in result) {
      this.frontend.warn('refused', `Refused a request from ${this.address.ip}: ${result.refused.reason} (${result.refused.status})`);
      this.answerAndClose(result.refused.status, result.refused.reason);
      return;
    }
    const head = result.head;
    this.input = input.length > head.headBytes ? input.subarray(head.headBytes) : undefined;
    if (head.method === 'CONNECT') {
      this.answerAndClose(501, 'CONNECT is not supported: Local LB passes requests to its backends, it is not a forward proxy');
      return;
    }
    this.head = head;
    this.frontend.stats.active++;
    this.forwardedHead = forwardedRequestHead(head, this.address);
    this.requestBody.start(head.chunked ? 'chunked' : 'length', head.contentLength);
    this.tried = undefined;
    this.failures = undefined;
    this.retried = false;
    this.sentBody = false;
    this.phase = Phase.Connecting;
    this.updateReading();
    this.choose();
  }

  /** Picks a backend for the request (its sticky one first) and gets it a connection. */
  private choose(): void {
    const head = this.head as RequestHead;
    const sticky = this.frontend.sticky ? stickyBackendId(head) : undefined;
    const backend = this.frontend.pick(this.tried, sticky);
    if (!backend) {
      const why = this.failures ? `all ${this.failures.length} backend(s) tried failed: ${this.failures.join('; ')}` : `no backend is available (${this.frontend.whyNone()})`;
      this.frontend.warn('noBackend', `No backend for a request from ${this.address.ip}: ${why}`);
      this.answerAndClose(502, why);
      return;
    }
    this.backend = backend;
    const fault = backend.faults.forRequest();
    if (fault) {
      this.faultAnswer(backend, fault);
      return;
    }
    const pooled = this.frontend.upstreams.take(backend);
    if (pooled) this.send(pooled);
    else this.connect(backend);
  }

  private connect(backend: Backend): void {
    this.frontend.open(backend, (error, upstream) => {
      if (this.closed) {
        if (upstream) this.frontend.upstreams.release(upstream, false);
        return;
      }
      if (upstream) {
        this.send(upstream);
        return;
      }
      this.frontend.connectFailed(backend, error as Error);
      (this.failures ??= []).push(`${backend.label}: ${(error as Error).message}`);
      (this.tried ??= new Set()).add(backend);
      this.choose();
    });
  }

  private send(upstream: Upstream): void {
    const backend = upstream.backend;
    this.upstream = upstream;
    upstream.user = this;
    if (this.clientBlocked) upstream.socket.pause();
    backend.requests.total++;
    backend.requests.active++;
    this.counted = backend;
    this.answering = false;
    this.interimSent = false;
    this.answerInput = undefined;
    this.upstreamBlocked = !upstream.write(this.forwardedHead);
    this.sentAt = performance.now();
    this.phase = Phase.Body;
    const input = this.input;
    this.input = undefined;
    if (input) this.forwardBody(input);
    else if (this.requestBody.done) this.requestSent();
    else this.updateReading();
  }

  private forwardBody(bytes: Buffer): void {
    const end = this.requestBody.scan(bytes, 0);
    if (end < 0) {
      this.frontend.warn('refused', `Refused a request from ${this.address.ip}: its chunked body is malformed`);
      this.dropUpstream();
      this.answerAndClose(400, 'the chunked request body is malformed');
      return;
    }
    if (end > 0) {
      this.sentBody = true;
      this.toUpstream(end === bytes.length ? bytes : bytes.subarray(0, end));
    }
    if (!this.requestBody.done) {
      if (this.clientEnded) this.abort();
      else this.updateReading();
      return;
    }
    if (end < bytes.length) this.input = bytes.subarray(end);
    this.requestSent();
  }

  private requestSent(): void {
    if (this.answering) {
      this.phase = Phase.Awaiting;
      return;
    }
    this.phase = Phase.Awaiting;
    this.updateReading();
    if (!this.deadline) this.setDeadline(this.frontend.responseDeadlines, this.frontend.responseTimeoutMs, this.responseTimedOut);
  }

  upstreamData(chunk: Buffer): void {
    if (this.phase === Phase.Tunnel) this.toClient(chunk);
    else if (this.answering) this.relayBody(chunk, 0);
    else {
      this.answerInput = this.answerInput ? Buffer.concat([this.answerInput, chunk]) : chunk;
      this.readAnswerHead();
    }
  }

  private readAnswerHead(): void {
    const bytes = this.answerInput as Buffer;
    const head = this.head as RequestHead;
    const backend = this.backend as Backend;
    let from = 0;
    for (;;) {
      const result = parseResponseHead(bytes, from, head.method);
      if ('incomplete' in result) {
        this.answerInput = from > 0 ? bytes.subarray(from) : bytes;
        return;
      }
      if ('malformed' in result || (result.head.status === 101 && !head.upgrade)) {
        this.backendFailed(`${backend.label} answered something that is not HTTP/1.x: ${'malformed' in result ? result.malformed : 'a 101 to a request that asked for no upgrade'}`);
        return;
      }
      const response = result.head;
      if (response.status === 101) {
        this.answered(response.status);
        this.phase = Phase.Tunnel;
        this.toClient(bytes.subarray(from));
        const input = this.input;
        this.input = undefined;
        if (input) this.toUpstream(input);
        this.updateReading();
        return;
      }
      if (response.status < 200) {
        // Interim answers (100 Continue, 103 Early Hints) are passed on as they are.
        this.interimSent = true;
        this.toClient(bytes.subarray(from, response.end));
        from = response.end;
        continue;
      }
      this.answered(response.status);
      this.answering = true;
      this.answerInput = undefined;
      this.backendCloses = response.closes;
      // A request whose body is still coming ends the connection: what is left of it is not read.
      this.keepAlive = (this.head as RequestHead).keepAlive && !this.clientEnded && this.phase === Phase.Awaiting && response.framing !== 'close' && !this.frontend.draining;
      const sticky = this.frontend.sticky && stickyBackendId(head) !== backend.id ? stickyCookieLine(backend.id) : '';
      this.toClient(answerHead(bytes, from, response, this.keepAlive, sticky));
      this.answerBody.start(response.framing, response.contentLength);
      this.relayBody(bytes, response.end);
      return;
    }
  }

  private relayBody(bytes: Buffer, from: number): void {
    const end = this.answerBody.scan(bytes, from);
    if (end < 0) {
      this.backendFailed(`${this.backend?.label} sent a malformed chunked body`);
      return;
    }
    if (end > from) this.toClient(from === 0 && end === bytes.length ? bytes : bytes.subarray(from, end));
    if (!this.answerBody.done) return;
    // Bytes after the end of the answer: the backend's connection cannot be trusted with another request.
    if (end < bytes.length) this.backendCloses = true;
    this.answerEnded();
  }

  /** The answer's head came: it is counted, with how long the backend took. */
  private answered(status: number): void {
    this.cancelDeadline();
    const ms = performance.now() - this.sentAt;
    (this.backend as Backend).requests.answered(status, ms);
    this.frontend.stats.answered(status, ms);
  }

  private answerEnded(): void {
    const upstream = this.upstream as Upstream;
    this.upstream = undefined;
    this.finishRequest();
    const reusable = !this.backendCloses && this.phase === Phase.Awaiting;
    this.frontend.upstreams.release(upstream, !reusable);
    this.nextRequest();
  }

  /** The request is over, answered or not: it stops counting as in progress. */
  private finishRequest(): void {
    if (this.counted) this.counted.requests.active--;
    this.counted = undefined;
    if (this.head) this.frontend.stats.active--;
    this.head = undefined;
    this.frontend.requestsChanged();
  }

  private nextRequest(): void {
    if (!this.keepAlive || this.closed) {
      this.close();
      return;
    }
    this.phase = Phase.Head;
    this.waitForHead();
    this.updateReading();
    if (this.input) this.readHead();
  }

  upstreamEnded(): void {
    if (this.phase === Phase.Tunnel) {
      this.client.end();
    } else if (this.answering && this.answerBody.framing === 'close') {
      this.backendCloses = true;
      this.answerEnded();
    }
    // Otherwise the answer was cut short: its close says so.
  }

  upstreamClosed(upstream: Upstream): void {
    if (this.upstream !== upstream) return;
    this.upstream = undefined;
    upstream.user = undefined;
    if (this.phase === Phase.Tunnel) {
      if (upstream.error) this.abort();
      else this.client.end();
      return;
    }
    const backend = upstream.backend;
    const nothingYet = !this.answering && !this.interimSent && this.answerInput === undefined;
    if (nothingYet && upstream.reused && !this.retried && !this.sentBody && IDEMPOTENT.has((this.head as RequestHead).method)) {
      // The backend closed the kept connection as the request went out: once more, on a new one.
      this.retried = true;
      backend.requests.total--;
      backend.requests.active--;
      this.counted = undefined;
      this.cancelDeadline();
      this.phase = Phase.Connecting;
      this.connect(backend);
      return;
    }
    this.backendFailed(`${backend.label} closed the connection ${this.answering ? 'in the middle of its answer' : 'without answering'}${upstream.error ? ` (${upstream.error.message})` : ''}`);
  }

  upstreamDrained(): void {
    this.upstreamBlocked = false;
    this.updateReading();
  }

  upstreamReset(): void {
    this.abort();
  }

  /** The backend failed this request: a 502 if the client got nothing yet, else a reset (the answer is cut). */
  private backendFailed(why: string): void {
    const backend = this.backend as Backend;
    backend.lastError = why;
    this.frontend.warn('backendFailed', `Bad gateway: ${why}`);
    const answered = this.answering || this.interimSent;
    this.dropUpstream();
    if (answered) this.abort();
    else {
      backend.requests.answered(502);
      this.answerAndClose(502, why);
    }
  }

  private readonly responseTimedOut = (): void => {
    this.deadline = undefined;
    const backend = this.backend as Backend;
    const why = `${backend.label} did not answer within ${this.frontend.responseTimeoutMs} ms`;
    backend.lastError = why;
    this.frontend.warn('responseTimeout', `Gateway timeout: ${why}`);
    this.dropUpstream();
    if (this.interimSent) this.abort();
    else {
      backend.requests.answered(504);
      this.answerAndClose(504, why);
    }
  };

  private faultAnswer(backend: Backend, fault: RequestFault): void {
    backend.requests.total++;
    if (fault.type === 'http_abort') {
      this.abort();
      return;
    }
    backend.requests.answered(fault.status);
    this.frontend.stats.answered(fault.status);
    const head = this.head as RequestHead;
    this.keepAlive = head.keepAlive && !this.clientEnded && !this.frontend.draining && this.requestBody.done && !this.input;
    this.toClient(balancerAnswer(fault.status, `fault ${fault.name} on ${backend.label}`, this.keepAlive));
    this.finishRequest();
    this.nextRequest();
  }

  /** Answers with the balancer's own status and reason, then closes. */
  private answerAndClose(status: number, reason: string): void {
    this.frontend.stats.answered(status);
    this.finishRequest();
    this.keepAlive = false;
    this.toClient(balancerAnswer(status, reason, false));
    this.close();
  }

  private waitForHead(): void {
    this.setDeadline(this.frontend.headDeadlines, this.frontend.requestTimeoutMs, this.headTimedOut);
  }

  private readonly headTimedOut = (): void => {
    this.deadline = undefined;
    if (this.phase !== Phase.Head) return;
    if (!this.input) {
      // A kept-alive client that stays silent: closed without a word, as servers do.
      this.close();
      return;
    }
    this.frontend.stats.total++;
    this.frontend.warn('requestTimeout', `Request timeout: ${this.address.ip} sent no complete request head within ${this.frontend.requestTimeoutMs} ms`);
    this.answerAndClose(408, `no complete request head within ${this.frontend.requestTimeoutMs} ms`);
  };

  private toClient(bytes: Buffer | string): void {
    if (this.client.destroyed) return;
    const flushed = typeof bytes === 'string' ? this.client.write(bytes, 'latin1') : this.client.write(bytes);
    if (!flushed && !this.clientBlocked) {
      this.clientBlocked = true;
      this.upstream?.socket.pause();
    }
  }

  private toUpstream(bytes: Buffer): void {
    const upstream = this.upstream;
    if (!upstream || upstream.socket.destroyed) return;
    if (!upstream.write(bytes)) {
      this.upstreamBlocked = true;
      this.updateReading();
    }
  }

  /** The client is read while a head comes, or while its bytes have somewhere to go. */
  private updateReading(): void {
    const phase = this.phase;
    const read = phase === Phase.Head || phase === Phase.Closing || ((phase === Phase.Body || phase === Phase.Tunnel) && !this.upstreamBlocked);
    if (read === this.reading) return;
    this.reading = read;
    if (read) this.client.resume();
    else this.client.pause();
  }

  private clientEnd(): void {
    this.clientEnded = true;
    switch (this.phase) {
      case Phase.Head:
        this.close();
        return;
      case Phase.Body:
        // The request was cut short: its backend learns it by a reset.
        this.abort();
        return;
      case Phase.Tunnel:
        this.upstream?.socket.end();
        return;
      default:
        // Connecting: what was sent may be the whole request; Awaiting: its answer still comes.
        return;
    }
  }

  private clientClosed(): void {
    this.closed = true;
    this.cancelDeadline();
    this.dropUpstream();
    this.finishRequest();
    this.frontend.sessions.delete(this);
  }

  /** Ends the client's connection once what was written is sent; it is closed for good after a while. */
  private close(): void {
    this.phase = Phase.Closing;
    this.cancelDeadline();
    this.input = undefined;
    this.updateReading();
    this.frontend.closeGracefully(this.client);
  }

  /** Closes the client with a reset: what it got was cut short. */
  private abort(): void {
    this.phase = Phase.Closing;
    this.cancelDeadline();
    this.dropUpstream();
    this.finishRequest();
    abort(this.client);
  }

  /** Closes the backend connection of a request that will not end cleanly. */
  private dropUpstream(): void {
    const upstream = this.upstream;
    if (!upstream) return;
    this.upstream = undefined;
    upstream.user = undefined;
    upstream.socket.destroy();
  }

  private setDeadline(list: Deadlines, ms: number, expire: () => void): void {
    this.cancelDeadline();
    this.deadlines = list;
    this.deadline = list.set(ms, expire);
  }

  private cancelDeadline(): void {
    if (this.deadline) this.deadlines?.cancel(this.deadline);
    this.deadline = undefined;
  }
}
