// The copies end with the process that launched them, however it ends: a small watcher process,
// in a group of its own, is told each copy's process group, and when its pipe from this process
// closes (this process exited, crashed or was killed with SIGKILL) it stops those groups.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * The watcher's code, run by this same Node (`-e`): it reads `+PGID` and `-PGID` lines, and at the
 * end of its input sends SIGTERM to every group it holds, SIGKILL to those left after 3 s.
 */
const WATCHER = `
const groups = new Set();
let text = '';
const signal = (name) => { for (const group of groups) { try { process.kill(-group, name); } catch {} } };
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  text += chunk;
  for (let end = text.indexOf('\\n'); end >= 0; end = text.indexOf('\\n')) {
    const line = text.slice(0, end);
    text = text.slice(end + 1);
    if (line[0] === '+') groups.add(Number(line.slice(1)));
    else groups.delete(Number(line.slice(1)));
  }
});
process.stdin.on('end', () => {
  if (groups.size === 0) process.exit(0);
  signal('SIGTERM');
  setTimeout(() => { signal('SIGKILL'); process.exit(0); }, 3000);
});
`;

/** What `ps` shows at the end of the watcher's command line. */
export const WATCHER_NAME = 'local-lb-group-watcher';

let watcher: ChildProcess | undefined;

/** Tells the watcher (started the first time) of a copy's process group, to stop should this process end first. */
export function watchGroup(pgid: number): void {
  watcher ??= startWatcher();
  watcher.stdin?.write(`+${pgid}\n`);
}

/** The group ended, or was stopped: the watcher forgets it. */
export function forgetGroup(pgid: number): void {
  watcher?.stdin?.write(`-${pgid}\n`);
}

function startWatcher(): ChildProcess {
  // A group of its own, so that a signal to this process's group does not end it before it acts;
  // ELECTRON_RUN_AS_NODE makes VS Code's Electron run it as plain Node.
  // Its last argument names it in `ps`.
  const child = spawn(process.execPath, ['-e', WATCHER, WATCHER_NAME], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  // Neither the watcher nor its pipe keeps this process alive.
  child.unref();
  (child.stdin as Socket | null)?.unref();
  child.stdin?.on('error', () => undefined);
  child.on('exit', () => {
    if (watcher === child) watcher = undefined;
  });
  return child;
}
