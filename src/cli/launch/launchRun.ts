// `--launch` and `--procfile`: the copies started before the balancer listens, the balanced type's
// added as backends of the pool `default`, waited for until they accept connections, and marked
// down the moment one exits; the other types run beside them.
import type { BalancerOptions, LoadBalancer } from '../../balancer';
import { log } from '../log';
import { Copies, type Copy } from './copies';
import type { LaunchOptions } from './launchArgs';

/** Every type's copies, stopped together. */
export class Launched {
  constructor(private readonly all: readonly Copies[]) {}

  async stop(graceMs: number): Promise<void> {
    await Promise.all(this.all.map((copies) => copies.stop(graceMs)));
  }
}

/**
 * Starts every type of `launch`, each on the first free ports after the type before; adds the
 * balanced type's copies to the pool's backends (`pool`, the options workers get, and `balancer`,
 * the main process's); resolves once those accept connections.
 */
export async function launchCopies(launch: LaunchOptions, pool: BalancerOptions, balancer: LoadBalancer): Promise<Launched> {
  const all: Copies[] = [];
  const balanced: Copies[] = [];
  const launched = new Launched(all);
  let basePort = launch.basePort;
  try {
    for (const type of [...launch.types].sort((a, b) => Number(b.balanced) - Number(a.balanced))) {
      const name = (copy: Copy): string => `${type.name}.${copy.index}`;
      const copies = new Copies({ ...type, basePort, restart: launch.restart }, log, {
        exited: (copy, how, restartInMs) => {
          const next = restartInMs === undefined ? '' : `; started again in ${restartInMs / 1000} s`;
          log(`${name(copy)} (port ${copy.port}) ${how}${type.balanced ? ': it takes no traffic' : ''}${next}`);
          if (type.balanced) balancer.applyHealth(`127.0.0.1:${copy.port}`, 'down', `${name(copy)} ${how}`);
        },
        back: (copy) => {
          log(`${name(copy)} (port ${copy.port}) is back (restart ${copy.restarts})${type.balanced ? ': it takes traffic again' : ''}`);
          if (type.balanced) balancer.applyHealth(`127.0.0.1:${copy.port}`, 'up', `${name(copy)} accepts connections again`);
        },
      });
      all.push(copies);
      const ports = await copies.start();
      basePort = Math.max(...ports) + 1;
      const what = `${ports.length} cop${ports.length === 1 ? 'y' : 'ies'} of ${type.name === 'app' ? 'the app' : type.name}`;
      log(`Launched ${what} on ${ports.map((port) => `:${port}`).join(', ')}${type.balanced ? '' : ', not balanced'}`);
      if (type.balanced) {
        balanced.push(copies);
        pool.backends = [...ports.map((port) => ({ host: '127.0.0.1', port })), ...pool.backends];
        balancer.setBackends(pool.backends);
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
