// One client connection in HTTP mode: its requests read one after the other (pipelined ones wait
// their turn), each sent on its trip to a backend (`Exchange`), and the balancer's own answers.
import { performance } from 'node:perf_hooks';
import { formatAddress } from '../address';
import { ClientConnection } from './clientConnection';
import type { Conn } from '../dataPath';
import { Exchange } from './exchange';
import { balancerAnswer, clientAddress, type ClientAddress } from './heads';
import { parseRequestHead, protocolOf } from './requestHead';
import type { ExchangeClient, SessionContext } from './sessionContext';
import type { Outcome } from '../types';

const enum Phase {
  /** Waiting for a request head. */
  Head,
  /** A request is on its trip: its body, then its answer. */
  Exchange,
  /** After a 101: bytes copied both ways. */
  Tunnel,
  /** The connection ends: what comes is not read. */
  Closing,
}

/** Bytes kept from a client (a body's start, pipelined requests) above which it is not read further for now. */
const MAX_KEPT_BYTES = 64 * 1024;
/** The HTTP/2 preface's first bytes, waited for when a connection's first read is shorter. */
const H2_PREFACE = 'PRI * HTTP/2.0';

export class HttpSession extends ClientConnection implements ExchangeClient {
  private phase = Phase.Head;
  private readonly address: ClientAddress;
  private readonly exchange: Exchange;
  private first = true;
  /** A request is counted as in progress at the frontend. */
  private active = false;
  private method = '';
  private target = '';
  /** The status the balancer answered itself, if it did. */
  private ownStatus?: number;
  private startedAt = 0;
  /** The client's byte counts before the request, while requests are reported. */
  private readBefore = 0;
  private writtenBefore = 0;
  private readonly remotePort: number;

  constructor(
    client: Conn,
    private readonly context: SessionContext,
  ) {
    super(client, context.lingerDeadlines);
    const remote = client.remote();
    this.address = clientAddress(remote.host);
    this.remotePort = remote.port;
    this.exchange = new Exchange(
      context,
      this,
      this.address,
      client,
      (ms, expire) => this.setDeadline(context.answerDeadlines, ms, expire),
      () => this.cancelDeadline(),
    );
    this.waitForHead();
    // A body or a tunnel that stalls is cut after the idle timeout, as a connection in TCP mode is.
    const idle = context.settings.idleTimeoutMs;
    if (idle > 0) client.idleTimeout(idle, () => this.cut());
  }

  /** The balancer stops: an idle connection closes now, a busy one after its answer. */
  drain(): void {
    if (this.phase === Phase.Head && !this.input) this.close();
  }

  protected clientData(chunk: Buffer): void {
    if (this.phase === Phase.Tunnel) this.exchange.toBackend(chunk);
    else if (this.phase === Phase.Exchange && this.exchange.readsBody && !this.input) this.exchange.forwardBody(chunk);
    else if (this.phase !== Phase.Closing) {
      // A head comes; or pipelined requests, kept (unread further) until the answer before theirs ended.
      this.keep(chunk);
      if (this.phase === Phase.Head) this.readHead();
      else this.readingChanged();
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
        // No longer an HTTP session: the connection is TCP mode's from now on.
        this.context.sessionClosed(this);
        this.context.passThrough(this.client, input, protocol);
        return;
      }
    }
    const result = parseRequestHead(input);
    if ('incomplete' in result) return;
    this.cancelDeadline();
    this.context.stats.total++;
    if ('refused' in result) {
      this.context.warn('refused', `Refused a request from ${this.address.ip}: ${result.refused.reason} (${result.refused.status})`);
      this.refuseHead(result.refused.status, result.refused.reason, input.length);
      return;
    }
    const head = result.head;
    this.input = input.length > head.headBytes ? input.subarray(head.headBytes) : undefined;
    if (head.method === 'CONNECT') {
      this.refuseHead(501, 'CONNECT is not supported: Local LB passes requests to its backends, it is not a forward proxy', head.headBytes, 0, head);
      return;
    }
    this.active = true;
    this.context.stats.active++;
    if (this.context.requestsListened) {
      this.method = head.method;
      this.target = head.target;
      this.ownStatus = undefined;
      this.startedAt = performance.now();
      const side = this.client.side;
      this.readBefore = side.bytesRead - input.length;
      this.writtenBefore = side.bytesWritten;
    }
    this.phase = Phase.Exchange;
    this.readingChanged();
    // Watched, the inspector keeps the head as it came.
    this.exchange.start(head, this.startedAt > 0 ? input.toString('latin1', 0, head.headBytes - 4) : undefined);
  }

  keepInput(bytes: Buffer): void {
    this.input = bytes;
  }

  hold(): void {
    this.client.cork();
  }

  release(): void {
    this.client.uncork();
  }

  forward(bytes: Buffer | string): void {
    if (!this.toClient(bytes)) this.exchange.connection?.conn.read(false);
  }

  /**
   * The client is read unless its bytes have nowhere to go: the backend does not take them as fast,
   * or more than a read's worth waits (a body while its backend is connected, pipelined requests).
   * Stopping and starting to read costs system calls, so a request that fits in a read never does.
   */
  readingChanged(): void {
    const phase = this.phase;
    const blocked = (phase === Phase.Exchange || phase === Phase.Tunnel) && this.exchange.backendBlocked;
    this.read(phase === Phase.Closing || (!blocked && (this.input?.length ?? 0) < MAX_KEPT_BYTES));
  }

  exchangeEnded(keepAlive: boolean): void {
    // What the answer's end left held goes out now, counted in the request's bytes.
    this.client.uncork();
    this.finishRequest();
    if (!keepAlive || this.closed) {
      this.close();
      return;
    }
    this.phase = Phase.Head;
    this.waitForHead();
    this.readingChanged();
    if (this.input) this.readHead();
  }

  /** The balancer's own answer (an error, or a fault's): then the next request, or the end. */
  answerFor(status: number, reason: string, keepAlive: boolean): void {
    this.context.stats.answered(status);
    this.ownStatus = status;
    const answer = balancerAnswer(status, reason, keepAlive);
    const inspection = this.exchange.inspection;
    if (inspection) {
      inspection.ownAnswer = reason;
      inspection.answered(answer);
    }
    this.forward(answer);
    this.exchangeEnded(keepAlive);
  }

  cut(): void {
    this.phase = Phase.Closing;
    this.exchange.drop();
    this.finishRequest();
    this.resetClient();
  }

  tunnelOpened(): void {
    this.phase = Phase.Tunnel;
    this.readingChanged();
  }

  endTunnel(): void {
    this.client.end();
  }

  protected clientDrained(): void {
    this.exchange.connection?.conn.read(true);
  }

  protected clientEnd(): void {
    if (this.phase === Phase.Head) this.close();
    // A body cut short: its backend learns it by a reset.
    else if (this.phase === Phase.Exchange && this.exchange.connection && !this.exchange.sent) this.cut();
    else if (this.phase === Phase.Tunnel) this.exchange.connection?.conn.end();
    // Otherwise the answer still comes, or the whole request may be in hand while a backend is connected.
  }

  protected clientClosed(): void {
    this.exchange.drop();
    this.finishRequest();
    this.context.sessionClosed(this);
  }

  /** The request stops counting as in progress. */
  private finishRequest(): void {
    this.exchange.finish();
    if (this.active) {
      this.context.stats.active--;
      if (this.startedAt > 0 && this.context.requestsListened) this.reportRequest();
    }
    this.active = false;
    this.startedAt = 0;
    this.context.requestsChanged();
  }

  /** The request's end, for those who listen: made only then. */
  private reportRequest(): void {
    const status = this.ownStatus ?? (this.exchange.status || undefined);
    const outcome: Outcome = status === undefined && this.exchange.outcome === 'answered' ? 'reset' : this.exchange.outcome;
    const side = this.client.side;
    const bytesIn = side.bytesRead - this.readBefore;
    const bytesOut = side.bytesWritten - this.writtenBefore;
    const inspection = this.exchange.inspection;
    this.context.requestEnded({
      client: formatAddress({ host: this.address.ip, port: this.remotePort }),
      ...(this.exchange.backend ? { backend: this.exchange.backend.id } : {}),
      method: this.method,
      target: this.target,
      ...(status ? { status } : {}),
      durationMs: performance.now() - this.startedAt,
      bytesIn,
      bytesOut,
      outcome,
      ...(inspection ? { details: inspection.details(bytesIn, bytesOut, this.exchange.failover) } : {}),
    });
  }

  private waitForHead(): void {
    this.setDeadline(this.context.headDeadlines, this.context.settings.requestTimeoutMs, this.headTimedOut);
  }

  private readonly headTimedOut = (): void => {
    if (this.phase !== Phase.Head) return;
    // A kept-alive client that stays silent is closed without a word, as servers do.
    if (!this.input) return this.close();
    this.context.stats.total++;
    this.context.warn('requestTimeout', `Request timeout: ${this.address.ip} sent no complete request head within ${this.context.settings.requestTimeoutMs} ms`);
    this.refuseHead(408, `no complete request head within ${this.context.settings.requestTimeoutMs} ms`, this.input.length, this.context.settings.requestTimeoutMs);
  };

  /** A request the balancer answers at its head (malformed, too large, CONNECT: refused; too slow: timed out), and its row for those who listen. */
  private refuseHead(status: number, reason: string, bytesIn: number, waitedMs = 0, head?: { method: string; target: string }): void {
    const side = this.client.side;
    const writtenBefore = side.bytesWritten;
    const client = formatAddress({ host: this.address.ip, port: this.remotePort });
    this.answerFor(status, reason, false);
    if (!this.context.requestsListened) return;
    const bytesOut = side.bytesWritten - writtenBefore;
    this.context.requestEnded({ client, method: head?.method ?? '', target: head?.target ?? '', status, durationMs: waitedMs, bytesIn, bytesOut, outcome: status === 408 ? 'timed out' : 'refused' });
  }

  private close(): void {
    this.phase = Phase.Closing;
    this.endClient();
  }
}
