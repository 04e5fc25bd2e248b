// Spawning the built programs (dist/) and reading their output, for tests of what users run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cleanup } from './net';

export const ROOT = join(__dirname, '..', '..', '..');

export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the combined output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(
  cleanup: Cleanup,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  { fdLimit }: { fdLimit?: number } = {},
): Running {
  const command = [process.execPath, join(ROOT, script), ...args];
  // With a descriptor limit, a shell lowers it and then becomes node itself (same pid).
  const [file, ...argv] = fdLimit ? ['bash', '-c', `ulimit -n ${fdLimit} && exec "$0" "$@"`, ...command] : command;
  const child = spawn(file, argv, { env: { ...process.env, ...env }, stdio: 'pipe' });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (data: Buffer): void => {
    output += data.toString();
    listeners.forEach((listener) => listener());
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanup.add(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const waitFor = (pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = output.match(pattern);
        if (!match) return;
        finish();
        resolve(match);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`Timed out waiting for ${pattern} in:\n${output}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });
  return { child, output: () => output, waitFor, exited };
}

/** Runs to completion and returns the exit code and everything printed. */
export async function runToEnd(cleanup: Cleanup, script: string, args: readonly string[], env?: NodeJS.ProcessEnv) {
  const running = start(cleanup, script, args, env);
  const { code } = await running.exited;
  return { code, output: running.output() };
}

/** Open file descriptors of a process, from /proc. */
export function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Resident memory of a process in bytes, from /proc. */
export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) * 1024;
}
