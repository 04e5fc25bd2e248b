// What may change while the balancer runs, read at each connection or request by the connector and
// HTTP mode: one object, changed in one place (`apply`), compared field by field.
import type { ResolvedOptions } from './options';
import type { HealthCheckOptions } from './types';

/** The fields of the options that apply to the next connection or request, without a restart. */
const LIVE_FIELDS = ['connectTimeoutMs', 'idleTimeoutMs', 'maxConnections', 'requestTimeoutMs', 'responseTimeoutMs', 'sticky', 'stickyCookie'] as const;
type LiveField = (typeof LIVE_FIELDS)[number];

export class LiveSettings implements Pick<ResolvedOptions, LiveField> {
  connectTimeoutMs: number;
  /** Closes connections with no bytes either way for this long; 0: never. */
  idleTimeoutMs: number;
  /** Clients served at once; 0: no limit. */
  maxConnections: number;
  /** HTTP mode: a request head not complete this long after it began is answered 408. */
  requestTimeoutMs: number;
  /** HTTP mode: a backend that has not begun its answer this long after the request is answered for with 504. */
  responseTimeoutMs: number;
  /** HTTP mode: a cookie keeps each client on the backend that answered it first. */
  sticky: boolean;
  /** HTTP mode: that cookie's name. */
  stickyCookie: string;

  constructor(options: Pick<ResolvedOptions, LiveField>) {
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.maxConnections = options.maxConnections;
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.responseTimeoutMs = options.responseTimeoutMs;
    this.sticky = options.sticky;
    this.stickyCookie = options.stickyCookie;
  }

  /** Takes the live fields of `options`: the next connection or request reads them. */
  apply(options: Pick<ResolvedOptions, LiveField>): void {
    for (const field of LIVE_FIELDS) (this as Record<LiveField, number | boolean | string>)[field] = options[field];
  }
}

/** Whether two health check settings are the same, field by field (checks restart only when they are not). */
export function sameHealth(a: HealthCheckOptions | false, b: HealthCheckOptions | false): boolean {
  if (a === false || b === false) return a === b;
  return a.type === b.type && a.path === b.path && a.intervalMs === b.intervalMs && a.timeoutMs === b.timeoutMs && a.rise === b.rise && a.fall === b.fall;
}
