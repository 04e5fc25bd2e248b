// `local-lb`: the balancer engine as a command-line program.
import { setFlagsFromString } from 'node:v8';
import { version } from '../package.json';
import { ConfigError, exportConfig, formatAddress, poolLogPrefix, Pools, type BalancerOptions } from './balancer';
import type { AdminPool } from './cli/adminPools';
import { startAdminServer, type AdminServer } from './cli/adminServer';
import { parseArgs, USAGE, type CliOptions } from './cli/args';
import { logConnections } from './cli/connectionLog';
import { log, logEntry } from './cli/log';
import { launchCopies, type Launched } from './cli/launch/launchRun';
import { poolSummary } from './cli/poolSummary';
import { TOXIPROXY_USAGE } from './cli/toxiproxyArgs';
import { runToxiproxy, serveToxiproxy, type ServedToxiproxy } from './cli/toxiproxyRun';
import { runWorker } from './cli/worker';
import { TrafficFeed } from './cli/trafficFeed';
import { Workers, type SharedPool } from './cli/workers';
import { WORKER_ENV } from './cli/workerProtocol';

// V8 grows its young generation under load and keeps it. Capped at its starting size, the process
// stays smaller after a load for a little more CPU per new connection (figures: docs/benchmarks.md).
// Only in the CLI, a process of our own: never in a shared extension host.
setFlagsFromString('--semi-space-growth-factor=1');

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
  if (command.kind === 'toxiproxyHelp') {
    process.stdout.write(TOXIPROXY_USAGE);
    return 0;
  }
  if (command.kind === 'toxiproxy') return runToxiproxy(command.options, version);
  if (command.kind === 'version') {
    process.stdout.write(`local-lb ${version}\n`);
    return 0;
  }
  if (command.kind === 'export') {
    try {
      process.stdout.write(exportConfig(command.target, command.options.pools, version));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`local-lb: ${error.message}\n`);
      return 2;
    }
    return 0;
  }
  if (command.kind === 'check') {
    const { pools, launches } = command.options;
    process.stdout.write(`${pools.map((pool) => poolSummary(pool, launches.find((launch) => launch.pool === pool.name))).join('\n')}\n`);
    return 0;
  }
  return run(command.options);
}

async function run(options: CliOptions): Promise<number> {
  const { workers } = options;
  // With several processes, each serves its share of each pool's connection limit (0: no limit).
  const share = (pool: BalancerOptions, index: number): BalancerOptions => {
    const limit = pool.maxConnections ?? 0;
    return { ...pool, maxConnections: Math.floor(limit / workers) + (index < limit % workers ? 1 : 0) };
  };
  const pools = new Pools();
  const shared: SharedPool[] = options.pools.map(({ name, options: poolOptions }) => {
    const prefix = poolLogPrefix(name);
    const balancer = pools.add({ name, options: share(poolOptions, 0) });
    balancer.on('log', (entry) => logEntry(entry, prefix));
    if (!options.quiet) logConnections(balancer, prefix);
    return { name, balancer, prefix, options: (index) => share(poolOptions, index) };
  });
  let workerProcesses: Workers | undefined;
  let copies: Launched | undefined;
  const stop = async (drainMs: number): Promise<void> => {
    await Promise.all([pools.stopAll({ drainMs }), workerProcesses?.stop(drainMs)]);
    // The app's copies last: the connections to them have finished or been closed.
    await copies?.stop(drainMs);
  };
  // Listened to from the start: a signal while starting up stops cleanly once started.
  const stopRequested = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (++signals === 1) {
        log(`${signal}: stopping; open connections may finish for ${options.drainMs} ms (signal again to stop now)`);
        resolve();
      } else {
        log(`${signal}: closing every connection now`);
        void stop(0);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  try {
    return await serve();
  } finally {
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
  }

  async function serve(): Promise<number> {
    if (options.launches.length > 0) {
      try {
        copies = await launchCopies(options.launches, options.pools.map(({ name, options: poolOptions }, i) => ({ name, options: poolOptions, balancer: shared[i].balancer })));
      } catch (error) {
        process.stderr.write(`local-lb: ${(error as Error).message}\n`);
        await stop(0);
        return 1;
      }
    }
    // A pool that cannot listen is named; the others serve on. None listening is a failure.
    const starts = await pools.startAll();
    for (const start of starts) {
      if ('error' in start) process.stderr.write(`local-lb: ${options.pools.length > 1 ? `Pool "${start.name}": ` : ''}${start.error}\n`);
    }
    const serving = shared.filter(({ balancer }) => balancer.running);
    if (serving.length === 0) {
      await stop(0);
      return 1;
    }
    if (workers > 1) {
      workerProcesses = new Workers(serving, { script: __filename, count: workers - 1, quiet: options.quiet });
      await workerProcesses.start();
      log(`${workers} processes accept connections (--workers ${workers})`);
    }
    let toxiproxy: ServedToxiproxy | undefined;
    if (options.toxiproxyApi) {
      try {
        toxiproxy = await serveToxiproxy({ api: options.toxiproxyApi, quiet: options.quiet }, version, () => shared);
      } catch (error) {
        process.stderr.write(`local-lb: ${(error as Error).message}\n`);
        await stop(0);
        return 1;
      }
    }
    let admin: AdminServer | undefined;
    if (options.admin) {
      const served = serving.map(({ name, balancer }): AdminPool => {
        const across = workerProcesses?.pool(name);
        return { name, statistics: across ?? balancer, traffic: new TrafficFeed(balancer, across) };
      });
      try {
        admin = await startAdminServer(() => served, options.admin);
        const url = `http://${formatAddress(admin.address)}`;
        log(`Statistics on ${url}/stats and /metrics`);
        log(`Traffic panel on ${url}/`);
      } catch (error) {
        process.stderr.write(`local-lb: ${(error as Error).message}\n`);
        await Promise.all([stop(0), toxiproxy?.close()]);
        return 1;
      }
    }
    await stopRequested;
    await Promise.all([stop(options.drainMs), toxiproxy?.close()]);
    await admin?.close();
    return 0;
  }
}

if (process.env[WORKER_ENV] && process.send) runWorker();
else main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`local-lb: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
