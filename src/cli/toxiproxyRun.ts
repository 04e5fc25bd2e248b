// `local-lb toxiproxy`: a drop-in toxiproxy server. It starts with no proxies (or those of -config),
// serves toxiproxy's API, and ends its proxies with its process, as toxiproxy-server does. And
// `--toxiproxy-api`: the same API next to the pools of a run.
import { readFileSync } from 'node:fs';
import { ConfigError, formatAddress, type Address } from '../balancer';
import { startToxiproxyApi, ToxiproxyProxies, TOXIPROXY_VERSION, type SharedPool } from '../toxiproxy';
import { logConnections } from './connectionLog';
import { log, logEntry } from './log';
import type { ToxiproxyOptions } from './toxiproxyArgs';

export interface ServedToxiproxy {
  close(): Promise<void>;
}

export async function runToxiproxy(options: ToxiproxyOptions, version: string): Promise<number> {
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  let served: ServedToxiproxy;
  try {
    served = await serveToxiproxy(options, version);
  } catch (error) {
    process.stderr.write(`local-lb: ${(error as Error).message}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  await stopped;
  log('Stopping: every proxy closes its connections');
  await served.close();
  return 0;
}

/**
 * Toxiproxy's API on `options.api`, its proxies logged as pools are; `shared` gives the run's own
 * pools, which the API shows as proxies too. Throws, having closed what it opened, when it cannot serve.
 */
export async function serveToxiproxy(options: { api: Address; config?: string; quiet: boolean }, version: string, shared?: () => readonly SharedPool[]): Promise<ServedToxiproxy> {
  const proxies = new ToxiproxyProxies(shared);
  proxies.on('log', (entry, prefix) => logEntry(entry, prefix));
  if (!options.quiet) proxies.on('created', (balancer, prefix) => logConnections(balancer, prefix));
  try {
    if (options.config !== undefined) await populate(proxies, options.config);
    const api = await startToxiproxyApi(proxies, options.api, version);
    log(`Toxiproxy API on http://${formatAddress(api.address)} (as toxiproxy ${TOXIPROXY_VERSION}; Local LB ${version})`);
    return { close: async () => void (await Promise.all([api.close(), proxies.close()])) };
  } catch (error) {
    await proxies.close();
    throw error;
  }
}

/** The proxies of toxiproxy's -config file: a JSON list, as `POST /populate` takes. */
async function populate(proxies: ToxiproxyProxies, file: string): Promise<void> {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`The config file ${JSON.stringify(file)} ${code === 'ENOENT' ? 'does not exist' : `cannot be read as JSON: ${(error as Error).message}`}.`);
  }
  const named = (error: unknown): unknown => (error instanceof ConfigError ? new ConfigError(`The config file ${JSON.stringify(file)}: ${error.message}`) : error);
  const { proxies: created, error } = await proxies.populate(list).catch((thrown: unknown) => {
    throw named(thrown);
  });
  if (error !== undefined) throw named(error);
  log(`Created ${created.length} prox${created.length === 1 ? 'y' : 'ies'} from ${file}`);
}
