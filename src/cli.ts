// `local-lb`: the balancer engine as a command-line program.
import { version } from '../package.json';
import { ConfigError, formatAddress, LoadBalancer } from './balancer';
import { startAdminServer, type AdminServer } from './cli/adminServer';
import { parseArgs, USAGE, type CliOptions } from './cli/args';

/** Lines look like Go's `log` package prints them: `2026/11/25 13:28:31 message`. */
function log(message: string): void {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}/${pad(now.getMonth() + 1)}/${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  process.stderr.write(`${stamp} ${message}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`local-lb: ${error.message}\nRun "local-lb --help" for usage.\n`);
    return 2;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command.kind === 'version') {
    process.stdout.write(`local-lb ${version}\n`);
    return 0;
  }
  return run(command.options);
}

async function run(options: CliOptions): Promise<number> {
  const balancer = new LoadBalancer(options.balancer);
  balancer.on('log', (entry) => log(entry.level === 'info' ? entry.message : `${entry.level.toUpperCase()}: ${entry.message}`));
  if (!options.quiet) {
    balancer.on('connectionOpened', (c) => log(`Handling ${c.client} to ${c.backend}`));
    balancer.on('connectionClosed', (c) => log(`Finished ${c.client} to ${c.backend}${c.error ? ` (${c.error})` : ''}`));
  }
  try {
    await balancer.start();
  } catch (error) {
    process.stderr.write(`local-lb: ${(error as Error).message}\n`);
    return 1;
  }
  let admin: AdminServer | undefined;
  if (options.admin) {
    try {
      admin = await startAdminServer(balancer, options.admin);
      log(`Statistics on http://${formatAddress(admin.address)}/stats and /metrics`);
    } catch (error) {
      process.stderr.write(`local-lb: ${(error as Error).message}\n`);
      await balancer.stop();
      return 1;
    }
  }
  await new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (++signals === 1) {
        log(`${signal}: stopping; open connections may finish for ${options.drainMs} ms (signal again to stop now)`);
        void balancer.stop({ drainMs: options.drainMs }).then(resolve);
      } else {
        log(`${signal}: closing every connection now`);
        void balancer.stop({ drainMs: 0 });
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  await admin?.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`local-lb: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
