// Child processes and temporary folders of the benchmark: started, waited for, measured, and always
// stopped or removed, with everything the processes started themselves (nginx's workers, local-lb's),
// so that nothing outlives the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';

const children = new Set<ChildProcess>();
const folders: string[] = [];
/** The last words of each child, to explain why it exited. */
const output = new WeakMap<ChildProcess, string>();
/** Settles once a child exited and its pipes closed. */
const closed = new WeakMap<ChildProcess, Promise<void>>();
/** How long a process group may take to stop on SIGTERM before it is killed. */
const STOP_GRACE_MS = 3000;

/** Starts `command` as the leader of a process group of its own, so that stopping it stops all it started. */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  closed.set(child, new Promise((resolve) => child.once('close', () => resolve())));
  child.once('exit', () => children.delete(child));
  const keep = (data: Buffer): void => {
    output.set(child, ((output.get(child) ?? '') + data.toString()).slice(-2000));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

/**
 * Stops a child and its whole process group: SIGTERM first (nginx's master then stops its workers,
 * which SIGKILL to the master alone would leave holding the port and our pipes), SIGKILL to the
 * group after a grace period. Resolves once the child exited and its pipes closed.
 */
export async function stopProcess(child: ChildProcess): Promise<void> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      // The group is gone already.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS);
  await closed.get(child);
  clearTimeout(timer);
  // Whatever of the group ignored SIGTERM and outlived its leader.
  signal('SIGKILL');
}

/** A new folder in `parent`, removed by `stopAll`. */
export function temporaryFolder(parent: string, prefix: string): string {
  const folder = mkdtempSync(join(parent, prefix));
  folders.push(folder);
  return folder;
}

/** Stops every child, then removes every temporary folder (nginx's files included). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopProcess));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** Children lead process groups of their own, out of the terminal's reach: a Ctrl-C stops them here. */
export function stopAllOnSignal(): void {
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.once(name, () => {
      process.stderr.write(`bench: ${name}, stopping what it started\n`);
      void stopAll().then(() => process.exit(130));
    });
  }
}

/** Resident memory of a process and its children (a `local-lb --workers` counts all its processes). */
export function residentMegabytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN) / 1024 + childPids(pid).reduce((sum, child) => sum + residentMegabytes(child), 0);
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function waitForPort(port: number, child?: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (child && child.exitCode !== null) throw new Error(`${child.spawnfile} exited with code ${child.exitCode}:\n${output.get(child) ?? ''}`);
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
