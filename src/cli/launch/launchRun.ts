// `--launch`: the copies started before the balancer listens, added as backends of the pool
// `default`, waited for until they accept connections, marked down the moment one exits.
import type { BalancerOptions, LoadBalancer } from '../../balancer';
import type { CliOptions } from '../args';
import { log } from '../log';
import { Copies } from './copies';

/** What the copies' output lines start with (`app.2 | …`). */
const NAME = 'app';

/**
 * Starts the copies of `plan`, adds them to the pool's backends (`pool`, the options workers get,
 * and `balancer`, the main process's), and resolves once they accept connections. A copy that
 * exits is marked down at once.
 */
export async function launchCopies(plan: NonNullable<CliOptions['launch']>, pool: BalancerOptions, balancer: LoadBalancer): Promise<Copies> {
  const copies = new Copies({ ...plan, name: NAME }, log, (copy, how) => {
    log(`${NAME}.${copy.index} (port ${copy.port}) ${how}: it takes no traffic`);
    balancer.applyHealth(`127.0.0.1:${copy.port}`, 'down', `${NAME}.${copy.index} ${how}`);
  });
  const ports = await copies.start();
  log(`Launched ${ports.length} cop${ports.length === 1 ? 'y' : 'ies'} of the app on ${ports.map((port) => `:${port}`).join(', ')}`);
  pool.backends = [...ports.map((port) => ({ host: '127.0.0.1', port })), ...pool.backends];
  balancer.setBackends(pool.backends);
  await copies.ready();
  return copies;
}
