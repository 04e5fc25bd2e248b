// Active health checks of one backend: a TCP connect or an HTTP GET, repeated every interval.
import { request } from 'node:http';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Backend } from './backend';
import { otherLoopback } from './hosts';
import { isOutOfDescriptors, isRefused } from './socketErrors';
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
  private cancelProbe?: () => void;
  private stopped = false;

  constructor(
    private readonly backend: Backend,
    private readonly options: HealthCheckOptions,
    private readonly onResult: (result: CheckResult) => void,
  ) {}

  start(): void {
    void this.check();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.cancelProbe?.();
  }

  private async check(): Promise<void> {
    const host = this.backend.connectHost;
    let outcome = await this.probe(host);
    const other = otherLoopback(host);
    if (!this.stopped && other && outcome.cause && isRefused(outcome.cause)) {
      const second = await this.probe(other);
      if (second.result.ok) {
        this.backend.connectHost = other;
        outcome = second;
      }
    }
    if (this.stopped) return;
    // Out of descriptors says nothing about the backend: no verdict this time.
    if (!(outcome.cause && isOutOfDescriptors(outcome.cause))) this.onResult(outcome.result);
    // A stray timer must not keep a process alive on its own.
    this.timer = setTimeout(() => void this.check(), this.options.intervalMs).unref();
  }

  private probe(host: string): Promise<ProbeOutcome> {
    const { outcome, cancel } = probe({ host, port: this.backend.spec.port }, this.options);
    this.cancelProbe = cancel;
    return outcome;
  }
}
