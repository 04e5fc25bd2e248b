// The `local-lb` process under test, started with real arguments and watched from outside.
import type { Cleanup } from '../support/net';
import { openDescriptors, residentBytes, start, type Running } from '../support/process';

export interface BalancerProcess {
  port: number;
  pid: number;
  running: Running;
  descriptors(): number;
  rss(): number;
  /** True while the process has not exited. */
  alive(): boolean;
}

export async function startBalancerProcess(
  cleanup: Cleanup,
  args: readonly string[],
  options: { fdLimit?: number } = {},
): Promise<BalancerProcess> {
  const running = start(cleanup, 'dist/cli.js', ['-f', '0', '--quiet', ...args], {}, options);
  const port = Number((await running.waitFor(/Listening on 127\.0\.0\.1:(\d+)/))[1]);
  const pid = running.child.pid as number;
  return {
    port,
    pid,
    running,
    descriptors: () => openDescriptors(pid),
    rss: () => residentBytes(pid),
    alive: () => running.child.exitCode === null && running.child.signalCode === null,
  };
}
