// Public types of a balancer's events: connections, requests and refusals, health changes, log lines.
import type { Address, BackendState } from './optionTypes';

/** How a connection (TCP mode) or request (HTTP mode) ended, in the traffic panel's table. */
export const OUTCOMES = ['answered', 'failed over', 'refused', 'reset', 'timed out', 'fault'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface ConnectionInfo {
  id: number;
  /** `address:port` of the client. */
  client: string;
  /** Id (`host:port`) of the backend serving it. */
  backend: string;
}

export interface ConnectionClosedInfo extends ConnectionInfo {
  bytesSent: number;
  bytesReceived: number;
  durationMs: number;
  error?: string;
  outcome: Outcome;
}

/** A client closed without being served (TCP mode, or HTTP mode's connections before any request). */
export interface RefusedInfo {
  client: string;
  reason: string;
}

/** One request of HTTP mode, once it ended. */
export interface RequestInfo {
  /** `address:port` of the client. */
  client: string;
  /** Id of the backend that took it; absent when none did. */
  backend?: string;
  /** Empty when the balancer refused a head it could not read (400, 431, 505, 408). */
  method: string;
  target: string;
  /** The status the client got (the backend's, or the balancer's own); absent when it was cut off. */
  status?: number;
  /** From the request's head read to the end of its answer. */
  durationMs: number;
  /** Bytes from the client during the request, and to it during its answer. */
  bytesIn: number;
  bytesOut: number;
  outcome: Outcome;
  /** While someone watches: what the inspector keeps of it. */
  details?: RecordedRequest;
}

/** A header as it was written: its name in its case, its value. */
export type HeaderLine = [name: string, value: string];

/**
 * One HTTP request looked into, as recorded while someone watches: its head as the client sent it,
 * what Local LB changed on the way, the answer's head as the client got it, and its times.
 */
export interface RequestDetails {
  /** The Host header, or empty: with `path`, the URL asked for. */
  host: string;
  version: string;
  /** As the client sent them, in order. */
  requestHeaders: HeaderLine[];
  /** Headers Local LB added or replaced in the forwarded request (`X-Forwarded-For`, `Forwarded`…). */
  addedHeaders: HeaderLine[];
  /** Names of the client's headers left out of the forwarded request (`Connection`, the sticky cookie…). */
  removedHeaders: string[];
  /** The answer's status line and headers as the client got them; absent when it got none. */
  response?: { status: number; reason: string; version: string; headers: HeaderLine[] };
  /** Bytes of the request's and the answer's bodies. */
  requestBodyBytes: number;
  responseBodyBytes: number;
  /** Milliseconds from the head read: a backend chosen (after any failover), connected, request sent, answer head, end. */
  timings: RequestTimings;
  /** A kept connection carried it: no connect. */
  reusedConnection: boolean;
  /** Backends tried first, and why each failed (failover), oldest first. */
  attempts?: Array<{ backend: string; error: string }>;
  /** The request fault that answered for the backend, as `describeFault` says it. */
  fault?: string;
  /** Sticky sessions: the client's cookie chose the backend (`kept`), or the answer set one (`set`). */
  sticky?: 'kept' | 'set';
  /** Why the balancer answered itself (a 502's, a 504's reason). */
  ownAnswer?: string;
}

/**
 * What the inspector keeps of a request: its heads as text (as they came, one string each, which
 * weighs what it holds), and what `RequestDetails` says besides, read from them when asked.
 */
export interface RecordedRequest extends Omit<RequestDetails, 'host' | 'version' | 'requestHeaders' | 'response'> {
  /** The request's head as the client sent it, without its blank line (latin1). */
  requestHead: string;
  /** The answer's head as the client got it, without its blank line; absent when it got none. */
  answerHead?: string;
}

/** Milliseconds from the request's head read to each step; -1 for a step it did not take. */
export interface RequestTimings {
  /** Until a backend connection began (or a kept one was taken): the wait for a backend, failover included. */
  blocked: number;
  connect: number;
  send: number;
  wait: number;
  receive: number;
}

export interface HealthChange {
  backend: string;
  from: BackendState;
  to: BackendState;
  reason: string;
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** Events of `LoadBalancer`; the argument lists are what listeners receive. */
export interface BalancerEvents {
  listening: [address: Address];
  stopped: [];
  /**
   * Connection events cost work per connection, so they are made only for connections opened
   * while someone listens to either of them; statistics count every connection regardless.
   */
  connectionOpened: [info: ConnectionInfo];
  connectionClosed: [info: ConnectionClosedInfo];
  /** HTTP mode: a request ended. Made only while someone listens, like the connection events. */
  request: [info: RequestInfo];
  /** A client was closed without being served. Made only while someone listens. */
  refused: [info: RefusedInfo];
  /** A connection was opened or closed: the cheap event for views that only need to refresh. */
  connectionsChanged: [];
  stateChanged: [change: HealthChange];
  /** Backends were added, removed, enabled or disabled, or the strategy or checks changed. */
  configChanged: [];
  statisticsReset: [];
  /** Human-readable lines the CLI prints and the extension logs; noisy ones are rate-limited. */
  log: [entry: LogEntry];
}
