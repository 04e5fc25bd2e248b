// Pools as a user writes them (the `--config` file's `pools`, the setting `localLb.pools`), fields
// named as the VS Code settings name them: checked whole, each bad value named with its pool and
// field, and turned into each pool's options.
import { assertNoDuplicates, formatAddress, parseBackendEntry } from './address';
import { ConfigError, ConflictError } from './errors';
import { CHOICE_RULES, checkNumber, NUMBER_RULES, oneOf, type NumberRule } from './optionSchema';
import { assertNoLoop, resolveOptions } from './options';
import type { BalancerOptions, HealthCheckOptions, Mode } from './types';

/** A pool's name: a short identifier, as `web` or `api`. */
const POOL_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

export interface PoolDefinition {
  name: string;
  options: BalancerOptions;
}

/** What a pool's log lines start with: nothing for the pool `default` (as before pools), else `[name] `. */
export function poolLogPrefix(name: string): string {
  return name === 'default' ? '' : `[${name}] `;
}

/** What a field left out means: the engine's defaults, but the mode, whose default differs between the CLI and the extension. */
export interface PoolDefaults {
  mode: Mode;
}

/** A pool's fields, as the file and the setting `localLb.pools` name them. */
export const POOL_FIELDS = [
  'name', 'frontend', 'backends', 'mode', 'strategy', 'stickySessions', 'dataPath', 'healthCheck',
  'connectTimeout', 'idleTimeout', 'maxConnections', 'requestTimeout', 'responseTimeout',
] as const;
const FRONTEND_FIELDS = ['host', 'port'] as const;
const HEALTH_FIELDS = ['type', 'path', 'interval', 'timeout', 'rise', 'fall'] as const;

/** The numbers of a pool, by field, with the engine's rule for each. */
const POOL_NUMBERS: Record<string, [option: keyof BalancerOptions, rule: NumberRule]> = {
  connectTimeout: ['connectTimeoutMs', NUMBER_RULES.connectTimeoutMs],
  idleTimeout: ['idleTimeoutMs', NUMBER_RULES.idleTimeoutMs],
  maxConnections: ['maxConnections', NUMBER_RULES.maxConnections],
  requestTimeout: ['requestTimeoutMs', NUMBER_RULES.requestTimeoutMs],
  responseTimeout: ['responseTimeoutMs', NUMBER_RULES.responseTimeoutMs],
};
const HEALTH_NUMBERS: Record<string, [option: keyof HealthCheckOptions, rule: NumberRule]> = {
  interval: ['intervalMs', NUMBER_RULES.healthIntervalMs],
  timeout: ['timeoutMs', NUMBER_RULES.healthTimeoutMs],
  rise: ['rise', NUMBER_RULES.healthRise],
  fall: ['fall', NUMBER_RULES.healthFall],
};

/**
 * Every pool of `value` (a list), checked whole: names unique, frontends distinct, every field
 * known and every value valid. Throws a `ConfigError` naming the pool and the field.
 */
export function parsePools(value: unknown, defaults: PoolDefaults): PoolDefinition[] {
  const { pools, errors } = parseEachPool(value, defaults);
  if (errors.length > 0) throw errors[0];
  return pools;
}

/**
 * The good pools of `value`, and an error for each pool left out: a bad one, or one whose name or
 * frontend an earlier pool has. For settings, where one bad pool must not stop the others.
 */
export function parseEachPool(value: unknown, defaults: PoolDefaults): { pools: PoolDefinition[]; errors: ConfigError[] } {
  if (!Array.isArray(value)) return { pools: [], errors: [new ConfigError(`"pools" must be a list of pools, not ${describe(value)}.`)] };
  const pools: PoolDefinition[] = [];
  const errors: ConfigError[] = [];
  const byName = new Map<string, number>();
  const byFrontend = new Map<string, string>();
  for (const [index, entry] of value.entries()) {
    try {
      const pool = parsePool(entry, index, defaults);
      const { name } = pool;
      if (byName.has(name)) throw new ConflictError(`Pools ${byName.get(name)} and ${index + 1} are both named "${name}": each pool needs a name of its own.`);
      const resolved = resolveOptions(pool.options);
      const frontend = formatAddress(resolved);
      const other = byFrontend.get(frontend);
      // Port 0 picks a free port at each start: several pools may ask for it.
      if (other !== undefined && resolved.port !== 0) throw new ConflictError(`Pools "${other}" and "${name}" both listen on ${frontend}: give each its own frontend.`);
      byName.set(name, index + 1);
      byFrontend.set(frontend, name);
      pools.push(pool);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
  }
  return { pools, errors };
}

function parsePool(entry: unknown, index: number, defaults: PoolDefaults): PoolDefinition {
  const where = `Pool ${index + 1}`;
  const fields = record(entry, where, POOL_FIELDS);
  const name = fields.name;
  if (typeof name !== 'string' || !POOL_NAME.test(name)) {
    throw new ConfigError(`${where}: invalid name ${describe(name)}: expected 1 to 32 letters, digits, "-" or "_", starting with a letter (such as "web").`);
  }
  const named = `Pool "${name}"`;
  const field = <T>(key: string, read: () => T): T => {
    try {
      return read();
    } catch (error) {
      // The same error, its code kept, told with its pool and field.
      if (error instanceof ConfigError) error.message = `${named}, ${key}: ${error.message}`;
      throw error;
    }
  };
  if (fields.frontend === undefined) throw new ConfigError(`${named}: the frontend is missing: give "frontend": {"port": 8080}.`);
  const frontend = field('frontend', () => record(fields.frontend, 'the frontend', FRONTEND_FIELDS));
  if (frontend.port === undefined) throw new ConfigError(`${named}, frontend: the port is missing: give {"port": 8080}.`);
  const options: BalancerOptions = {
    host: field('frontend.host', () => (frontend.host === undefined ? undefined : text(frontend.host))),
    port: field('frontend.port', () => numberOf(frontend.port)),
    backends: field('backends', () => backends(fields.backends)),
    mode: field('mode', () => oneOf(fields.mode ?? defaults.mode, CHOICE_RULES.mode.choices, CHOICE_RULES.mode.what)),
    // A browser sends a host's cookies to all its ports: each pool keeps its clients in a cookie of its own.
    ...(name === 'default' ? {} : { stickyCookie: `local-lb-${name}` }),
  };
  if (fields.strategy !== undefined) options.strategy = field('strategy', () => oneOf(fields.strategy, CHOICE_RULES.strategy.choices, CHOICE_RULES.strategy.what));
  if (fields.dataPath !== undefined) options.dataPath = field('dataPath', () => oneOf(fields.dataPath, CHOICE_RULES.dataPath.choices, CHOICE_RULES.dataPath.what));
  if (fields.stickySessions !== undefined) options.sticky = field('stickySessions', () => flag(fields.stickySessions));
  for (const [key, [option, rule]] of Object.entries(POOL_NUMBERS)) {
    if (fields[key] !== undefined) Object.assign(options, { [option]: field(key, () => checkNumber(rule, fields[key])) });
  }
  if (fields.healthCheck !== undefined) options.health = field('healthCheck', () => health(fields.healthCheck));
  // The frontend's host and port are checked as the engine checks them.
  const resolved = field('frontend', () => resolveOptions(options));
  field('backends', () => assertNoLoop(resolved));
  return { name, options };
}

function backends(value: unknown): BalancerOptions['backends'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(`expected a list of backends, not ${describe(value)}.`);
  const list = value.map(parseBackendEntry);
  assertNoDuplicates(list);
  return list;
}

function health(value: unknown): Partial<HealthCheckOptions> | false {
  const fields = record(value, 'the health check', HEALTH_FIELDS);
  const type = oneOf(fields.type ?? CHOICE_RULES.healthType.default, [...CHOICE_RULES.healthType.choices, 'off'], CHOICE_RULES.healthType.what);
  if (type === 'off') return false;
  const checked: Partial<HealthCheckOptions> = { type };
  if (fields.path !== undefined) checked.path = text(fields.path);
  for (const [key, [option, rule]] of Object.entries(HEALTH_NUMBERS)) {
    if (fields[key] !== undefined) Object.assign(checked, { [option]: checkNumber(rule, fields[key]) });
  }
  return checked;
}

/** `value` as an object whose keys are all among `known`. */
function record(value: unknown, what: string, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${what} must be an object, not ${describe(value)}.`);
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new ConfigError(`${what} has an unknown field "${unknown}": expected ${known.join(', ')}.`);
  return value as Record<string, unknown>;
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw new ConfigError(`expected text, not ${describe(value)}.`);
  return value;
}

function numberOf(value: unknown): number {
  if (typeof value !== 'number') throw new ConfigError(`expected a number, not ${describe(value)}.`);
  return value;
}

function flag(value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(`expected true or false, not ${describe(value)}.`);
  return value;
}

function describe(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 60 ? `${shown.slice(0, 60)}…` : shown;
}
