// Active health checks of one backend: a TCP connect or an HTTP GET, repeated every interval.
import { request } from 'node:http';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Backend } from './backend';
import { dial, type DialMethod, type Dialling } from './dialer';
import { isOutOfDescriptors } from './socketErrors';
import type { Address, CheckResult, HealthCheckOptions } from './types';

type ProbeOptions = Pick<HealthCheckOptions, 'type' | 'path' | 'timeoutMs'>;

/** One check's outcome; `cause` is the socket error behind a failure, when there was one. */
export interface ProbeOutcome {
  result: CheckResult;
  cause?: Error;
}

/** Runs one check; `cancel` ends it at once (its promise then never settles). */
export function probe(address: Address, options: ProbeOptions): { outcome: Promise<ProbeOutcome>; cancel(): void } {
  const started = performance.now();
  let cancel = (): void => {};
  const outcome = new Promise<ProbeOutcome>((resolve) => {
    let settled = false;
    const finish = (failure?: string | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      const error = failure instanceof Error ? failure.message : failure;
      resolve({
        result: { ok: !failure, at: Date.now(), latencyMs: performance.now() - started, ...(error ? { error } : {}) },
        ...(failure instanceof Error ? { cause: failure } : {}),
      });
    };
    const timer = setTimeout(() => finish(`check timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    let cleanup: () => void;
    if (options.type === 'tcp') {
      const socket = connect({ host: address.host, port: address.port });
      cleanup = () => socket.destroy();
      socket.once('connect', () => finish());
      socket.once('error', finish);
    } else {
      const req = request({
        host: address.host,
        port: address.port,
        path: options.path,
        method: 'GET',
        agent: false,
        headers: { Connection: 'close', 'User-Agent': 'local-lb-health-check' },
      });
      cleanup = () => req.destroy();
      req.once('response', (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        finish(status >= 200 && status < 400 ? undefined : `HTTP ${status} from ${options.path}`);
      });
      req.once('error', finish);
      req.end();
    }
    cancel = () => {
      settled = true;
      clearTimeout(timer);
      cleanup();
    };
  });
  return { outcome, cancel };
}

/**
 * Checks one backend every interval until stopped; the next check starts when the last ends.
 * A loopback backend that refuses is checked on its other loopback address too, and the address
 * that answers is where its connections go.
 */
export class HealthChecker {
  private timer?: NodeJS.Timeout;
  private checking?: Dialling;
  private stopped = false;

  constructor(
    private readonly backend: Backend,
    private readonly options: HealthCheckOptions,
    private readonly onResult: (result: CheckResult) => void,
  ) {}

  start(): void {
    this.check();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.checking?.abort();
  }

  /** One check, dialled as connections are: the other loopback address is checked too when one refuses. */
  private check(): void {
    this.checking = dial(this.backend, 0, probing, this.options, (error, check) => {
      this.checking = undefined;
      if (this.stopped) return;
      const outcome = check.outcome as ProbeOutcome;
      // Both loopback addresses refused: the backend's own address's error is the one to tell.
      const result = error && error !== outcome.cause ? { ...outcome.result, error: error.message } : outcome.result;
      const cause = error ?? outcome.cause;
      // Out of descriptors says nothing about the backend: no verdict this time.
      if (!(cause && isOutOfDescriptors(cause))) this.onResult(result);
      // A stray timer must not keep a process alive on its own.
      this.timer = setTimeout(() => this.check(), this.options.intervalMs).unref();
    });
  }
}

/** A check under way: its outcome once it came. */
interface Check {
  outcome?: ProbeOutcome;
  cancel(): void;
}

/** How a check tries one address: its failure's cause is what the dialer judges (a refusal: the other loopback address). */
const probing: DialMethod<Check, ProbeOptions> = {
  open: (address, options, done) => {
    const { outcome, cancel } = probe(address, options);
    const check: Check = { cancel };
    void outcome.then((result) => {
      check.outcome = result;
      done(result.cause);
    });
    return check;
  },
  abort: (check) => check.cancel(),
};
