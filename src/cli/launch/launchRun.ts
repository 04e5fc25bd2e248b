// `--launch`, `--preset`, `--procfile` and `--config` pools' `launch`: the copies started before
// the balancer listens, the balanced type's added as backends of their pool, waited for until they
// accept connections, and marked down the moment one exits; the other types run beside them.
import { poolLogPrefix, type BalancerOptions, type LoadBalancer } from '../../balancer';
import { appCommand, Copies, type AppCopy } from '../../launch';
import { log } from '../log';
import type { PoolLaunch } from './launchArgs';

/** Every launched copy, stopped together. */
export class Launched {
  readonly all: Copies[] = [];

  async stop(graceMs: number): Promise<void> {
    await Promise.all(this.all.map((copies) => copies.stop(graceMs)));
  }
}

/** A pool the copies are launched for: its options (which workers get) and its balancer. */
export interface LaunchTarget {
  name: string;
  options: BalancerOptions;
  balancer: LoadBalancer;
}

/**
 * Starts every type of every launch, each on the first free ports after the ports already taken;
 * adds a pool's balanced copies to its backends; resolves once those accept connections. Throws,
 * having stopped what started, when a launch cannot start (a preset's need missing, no free ports).
 */
export async function launchCopies(launches: readonly PoolLaunch[], pools: readonly LaunchTarget[]): Promise<Launched> {
  const launched = new Launched();
  const balanced: Copies[] = [];
  const taken = new Set<number>();
  try {
    for (const launch of launches) {
      const pool = pools.find((candidate) => candidate.name === launch.pool);
      if (!pool) continue;
      const prefix = poolLogPrefix(pool.name);
      for (const type of [...launch.types].sort((a, b) => Number(b.balanced) - Number(a.balanced))) {
        const app = await appCommand(type.spec, process.cwd());
        // Copies are called by the Procfile's type, else by their pool, else by what they run.
        app.label = type.name ?? (pool.name === 'default' ? app.label.toLowerCase() : pool.name);
        const say = (copy: AppCopy, text: string): void => log(`${prefix}${copy.name} (port ${copy.port}) ${text}`);
        const address = (copy: AppCopy): string => `127.0.0.1:${copy.port}`;
        const copies = new Copies({ app, replicas: type.spec.replicas, basePort: type.spec.basePort, restart: type.spec.restart, taken }, {
          line: (copy, text) => process.stderr.write(`${copy.name} | ${text}\n`),
          exited: (copy, how, restartInMs) => {
            say(copy, `${how}${type.balanced ? ': it takes no traffic' : ''}${restartInMs === undefined ? '' : `; started again in ${restartInMs / 1000} s`}`);
            if (type.balanced) pool.balancer.applyHealth(address(copy), 'down', `${copy.name} ${how}`);
          },
          back: (copy) => {
            say(copy, `is back (restart ${copy.restarts})${type.balanced ? ': it takes traffic again' : ''}`);
            if (type.balanced) pool.balancer.applyHealth(address(copy), 'up', `${copy.name} accepts connections again`);
          },
        }, (port) => log(`${prefix}Port ${port} is in use: the next one is tried`));
        launched.all.push(copies);
        const ports = await copies.start();
        for (const port of ports) taken.add(port);
        const what = `${ports.length} cop${ports.length === 1 ? 'y' : 'ies'} of ${app.label === 'app' ? 'the app' : app.label}`;
        log(`${prefix}Launched ${what} on ${ports.map((port) => `:${port}`).join(', ')}${type.balanced ? '' : ', not balanced'}`);
        if (type.balanced) {
          balanced.push(copies);
          pool.options.backends = [...ports.map((port) => ({ host: '127.0.0.1', port })), ...pool.options.backends];
          pool.balancer.setBackends(pool.options.backends);
        }
      }
    }
    // Only the copies that take traffic are waited for: the other types need not listen at all.
    await Promise.all(balanced.map((copies) => copies.ready()));
  } catch (error) {
    await launched.stop(0);
    throw error;
  }
  return launched;
}
