// `local-lb --config FILE`: the pools of a JSON file, `{ "pools": [...] }`, and what each launches,
// checked whole before anything listens.
import { readFileSync } from 'node:fs';
import { ConfigError, parsePools, type PoolDefinition } from '../balancer';
import { separateLaunches } from '../launch';
import type { PoolLaunch } from './launch/launchArgs';

export interface ConfigFile {
  pools: PoolDefinition[];
  /** The pools' `launch` fields: each pool's copies, balanced. */
  launches: PoolLaunch[];
}

const TOP_LEVEL = ['pools'];

/** The file's pools; throws a `ConfigError` naming the file, and in it the pool and the field. */
export function readConfigFile(path: string): ConfigFile {
  const where = `The config file ${JSON.stringify(path)}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${where} cannot be read: ${code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${where} is not JSON: ${(error as Error).message}.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where} must hold an object, {"pools": [...]}.`);
  const unknown = Object.keys(value).find((key) => !TOP_LEVEL.includes(key));
  if (unknown !== undefined) throw new ConfigError(`${where} has an unknown field "${unknown}": expected ${TOP_LEVEL.join(', ')}.`);
  if (!('pools' in value)) throw new ConfigError(`${where} has no "pools": give {"pools": [{"name": "web", "frontend": {"port": 8080}, "backends": [8101]}]}.`);
  try {
    const separated = separateLaunches(value.pools);
    const pools = parsePools(separated.pools, { mode: 'tcp' });
    if (separated.errors.length > 0) throw separated.errors[0];
    if (pools.length === 0) throw new ConfigError('"pools" is empty: give at least one pool.');
    const launches = [...separated.launches].map(([pool, spec]): PoolLaunch => ({ pool, types: [{ spec, balanced: true }] }));
    return { pools, launches };
  } catch (error) {
    if (error instanceof ConfigError) error.message = `${where}: ${error.message}`;
    throw error;
  }
}
