// The things compared: a direct connection, Local LB's CLI, and HAProxy in TCP mode.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/balancer/freePort';
import { isExecutable, startProcess, waitForPort } from './processes';

const HAPROXY = '/usr/sbin/haproxy';

export interface Contender {
  name: 'direct' | 'local-lb' | 'haproxy';
  port: number;
  /** The process to measure, when there is one. */
  pid?: number;
  stop(): Promise<void>;
}

const stopper = (child: ChildProcess) => (): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

export function direct(port: number): Contender {
  return { name: 'direct', port, stop: async () => {} };
}

export async function localLb(cli: string, backends: number[]): Promise<Contender> {
  const port = await findFreePort();
  const child = startProcess(process.execPath, [cli, '-f', String(port), ...backends.flatMap((b) => ['-p', String(b)]), '--quiet']);
  await waitForPort(port, child);
  return { name: 'local-lb', port, pid: child.pid, stop: stopper(child) };
}

export const haproxyInstalled = (): boolean => isExecutable(HAPROXY);

/** HAProxy 2.x in `mode tcp` with round robin, its config written on the fly. */
export async function haproxy(backends: number[]): Promise<Contender> {
  const port = await findFreePort();
  const config = join(mkdtempSync(join(tmpdir(), 'local-lb-haproxy-')), 'haproxy.cfg');
  writeFileSync(
    config,
    `global
  # Within a descriptor limit of 20000 (HAProxy wants about 2 per connection plus its own).
  maxconn 8000
defaults
  mode tcp
  timeout connect 2s
  timeout client 60s
  timeout server 60s
frontend bench
  bind 127.0.0.1:${port}
  default_backend servers
backend servers
  balance roundrobin
${backends.map((b, i) => `  server s${i} 127.0.0.1:${b}`).join('\n')}
`,
  );
  const child = startProcess(HAPROXY, ['-db', '-f', config]);
  await waitForPort(port, child);
  return { name: 'haproxy', port, pid: child.pid, stop: stopper(child) };
}
