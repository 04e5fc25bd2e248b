// Runs wrk and reads its report.
import { execFile } from 'node:child_process';

export interface WrkResult {
  requestsPerSec: number;
  megabytesPerSec: number;
  p50Ms?: number;
  p99Ms?: number;
  /** connect, read, write and timeout errors together: a correctness smell, not only slowness. */
  socketErrors: number;
  non2xx: number;
}

export interface WrkOptions {
  connections: number;
  seconds: number;
  headers?: string[];
  latency?: boolean;
}

export function runWrk(url: string, { connections, seconds, headers = [], latency = false }: WrkOptions): Promise<WrkResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, ...headers.flatMap((header) => ['-H', header]), ...(latency ? ['--latency'] : []), url];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { timeout: (seconds + 30) * 1000 }, (error, stdout) => {
      if (error) return reject(new Error(`wrk ${args.join(' ')} failed: ${error.message}`));
      resolve(parseWrk(stdout));
    });
  });
}

const SCALE: Record<string, number> = { us: 0.001, ms: 1, s: 1000, B: 1 / 1e6, KB: 1024 / 1e6, MB: 1024 ** 2 / 1e6, GB: 1024 ** 3 / 1e6 };

export function parseWrk(report: string): WrkResult {
  const number = (pattern: RegExp): number | undefined => {
    const match = pattern.exec(report);
    return match ? Number(match[1]) * (match[2] ? SCALE[match[2]] : 1) : undefined;
  };
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(report);
  return {
    requestsPerSec: number(/Requests\/sec:\s+([\d.]+)/) ?? 0,
    megabytesPerSec: number(/Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/) ?? 0,
    p50Ms: number(/^\s+50%\s+([\d.]+)(us|ms|s)$/m),
    p99Ms: number(/^\s+99%\s+([\d.]+)(us|ms|s)$/m),
    socketErrors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/) ?? 0,
  };
}
