// The things compared: a direct connection, Local LB's CLI, and HAProxy in TCP mode.
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/balancer';
import { childPids, isExecutable, startProcess, stopProcess, temporaryFolder, waitForPort } from './processes';

const HAPROXY = '/usr/sbin/haproxy';

export interface Contender {
  /** `direct`, `local-lb`, `local-lb-workers` (`--workers` one per core), `toxiproxy-proxy`, `baseline`, `node-floor` or `haproxy`. */
  name: string;
  port: number;
  /** The process to measure, when there is one. */
  pid?: number;
  stop(): Promise<void>;
}

const stopper = (child: ChildProcess) => (): Promise<void> => stopProcess(child);

export function direct(port: number): Contender {
  return { name: 'direct', port, stop: async () => {} };
}

/** The `local-lb` CLI with `extra` arguments; with `workers` above 1, that many processes share the port. */
export async function localLb(cli: string, backends: number[], name: string, workers = 1, extra: string[] = []): Promise<Contender> {
  const port = await findFreePort();
  const args = [cli, '-f', String(port), ...backends.flatMap((b) => ['-p', String(b)]), '--quiet', '--workers', String(workers), ...extra];
  const child = startProcess(process.execPath, args);
  await waitForPort(port, child);
  // The port answers once the main process listens; its workers report in just after.
  await waitForChildren(child.pid as number, workers - 1);
  return { name, port, pid: child.pid, stop: stopper(child) };
}

/** `local-lb toxiproxy` with one proxy to the first backend, no toxic: what a proxy of toxiproxy's API costs. */
export async function toxiproxyProxy(cli: string, backends: number[]): Promise<Contender> {
  const port = await findFreePort();
  const config = join(temporaryFolder(tmpdir(), 'local-lb-toxiproxy-'), 'toxiproxy.json');
  writeFileSync(config, JSON.stringify([{ name: 'bench', listen: `127.0.0.1:${port}`, upstream: `127.0.0.1:${backends[0]}` }]));
  const child = startProcess(process.execPath, [cli, 'toxiproxy', '-port', '0', '-quiet', '-config', config]);
  await waitForPort(port, child);
  return { name: 'toxiproxy-proxy', port, pid: child.pid, stop: stopper(child) };
}

/** The least a Node proxy does (`nodeFloor.ts`): how much of Local LB's cost is Node's own. */
export async function nodeFloor(script: string, backends: number[]): Promise<Contender> {
  const port = await findFreePort();
  const child = startProcess(process.execPath, [script, String(port), ...backends.map(String)]);
  await waitForPort(port, child);
  return { name: 'node-floor', port, pid: child.pid, stop: stopper(child) };
}

export const haproxyInstalled = (): boolean => isExecutable(HAPROXY);

/**
 * HAProxy 2.x with round robin, its config written on the fly: `mode tcp`, or `mode http` as a
 * developer would set it up (kept connections to the backends shared safely, X-Forwarded-For).
 */
export async function haproxy(backends: number[], mode: 'tcp' | 'http' = 'tcp'): Promise<Contender> {
  const port = await findFreePort();
  const config = join(temporaryFolder(tmpdir(), 'local-lb-haproxy-'), 'haproxy.cfg');
  writeFileSync(
    config,
    `global
  # Within a descriptor limit of 20000 (HAProxy wants about 2 per connection plus its own).
  maxconn 8000
defaults
  mode ${mode}
  timeout connect 2s
  timeout client 60s
  timeout server 60s${mode === 'http' ? '\n  timeout http-request 10s\n  option forwardfor\n  http-reuse safe' : ''}
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
  return { name: mode === 'http' ? 'haproxy-http' : 'haproxy', port, pid: child.pid, stop: stopper(child) };
}

async function waitForChildren(pid: number, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (childPids(pid).length < count) {
    if (Date.now() > deadline) throw new Error(`local-lb did not start ${count} worker(s) within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // Forked is not yet accepting: give the workers a moment to take over the socket.
  await new Promise((resolve) => setTimeout(resolve, 500));
}
