// Active health checks of one backend: a TCP connect or an HTTP GET, repeated every interval.
import { request } from 'node:http';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { BackendAddress, CheckResult, HealthCheckOptions } from './types';

type ProbeOptions = Pick<HealthCheckOptions, 'type' | 'path' | 'timeoutMs'>;

/** Runs one check; `cancel` ends it at once (its promise then never settles). */
export function probe(address: BackendAddress, options: ProbeOptions): { result: Promise<CheckResult>; cancel(): void } {
  const started = performance.now();
  let cancel = (): void => {};
  const result = new Promise<CheckResult>((resolve) => {
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      resolve({ ok: !error, at: Date.now(), latencyMs: performance.now() - started, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish(`check timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    let cleanup: () => void;
    if (options.type === 'tcp') {
      const socket = connect({ host: address.host, port: address.port });
      cleanup = () => socket.destroy();
      socket.once('connect', () => finish());
      socket.once('error', (error) => finish(error.message));
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
      req.once('error', (error) => finish(error.message));
      req.end();
    }
    cancel = () => {
      settled = true;
      clearTimeout(timer);
      cleanup();
    };
  });
  return { result, cancel };
}

/** Checks one backend every interval until stopped; the next check starts when the last ends. */
export class HealthChecker {
  private timer?: NodeJS.Timeout;
  private cancelProbe?: () => void;
  private stopped = false;

  constructor(
    private readonly address: BackendAddress,
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
    const { result, cancel } = probe(this.address, this.options);
    this.cancelProbe = cancel;
    const outcome = await result;
    if (this.stopped) return;
    this.onResult(outcome);
    // A stray timer must not keep a process alive on its own.
    this.timer = setTimeout(() => void this.check(), this.options.intervalMs).unref();
  }
}
