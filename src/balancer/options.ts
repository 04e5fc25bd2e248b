// The engine's options resolved: defaults filled in and every value checked against the option schema.
import { assertNoDuplicates, formatAddress, normalizeHost, validateBackendSpec, validatePort } from './address';
import { ConfigError } from './errors';
import { DEFAULT_HOST, isWildcardHost } from './hosts';
import { CHOICE_RULES, checkNumber, NUMBER_RULES, oneOf } from './optionSchema';
import type { BackendSpec, BalancerOptions, DataPathChoice, HealthCheckOptions, Mode, StrategyName } from './types';

export const DEFAULT_HEALTH: HealthCheckOptions = {
  type: CHOICE_RULES.healthType.default,
  path: '/',
  intervalMs: NUMBER_RULES.healthIntervalMs.default,
  timeoutMs: NUMBER_RULES.healthTimeoutMs.default,
  rise: NUMBER_RULES.healthRise.default,
  fall: NUMBER_RULES.healthFall.default,
};

export interface ResolvedOptions {
  host: string;
  port: number;
  backends: BackendSpec[];
  strategy: StrategyName;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  maxConnections: number;
  health: HealthCheckOptions | false;
  dataPath: DataPathChoice;
  mode: Mode;
  requestTimeoutMs: number;
  responseTimeoutMs: number;
  sticky: boolean;
  stickyCookie: string;
}

export function resolveOptions(options: BalancerOptions): ResolvedOptions {
  const backends = options.backends.map(validateBackendSpec);
  assertNoDuplicates(backends);
  const number = (key: 'connectTimeoutMs' | 'idleTimeoutMs' | 'maxConnections' | 'requestTimeoutMs' | 'responseTimeoutMs'): number =>
    checkNumber(NUMBER_RULES[key], options[key] ?? NUMBER_RULES[key].default);
  return {
    host: normalizeHost(options.host ?? DEFAULT_HOST, 'frontend host'),
    port: validatePort(options.port, 'frontend port', true),
    backends,
    strategy: validateStrategy(options.strategy ?? CHOICE_RULES.strategy.default),
    connectTimeoutMs: number('connectTimeoutMs'),
    idleTimeoutMs: number('idleTimeoutMs'),
    maxConnections: number('maxConnections'),
    health: resolveHealth(options.health),
    dataPath: validateDataPath(options.dataPath ?? CHOICE_RULES.dataPath.default),
    mode: validateMode(options.mode ?? CHOICE_RULES.mode.default),
    requestTimeoutMs: number('requestTimeoutMs'),
    responseTimeoutMs: number('responseTimeoutMs'),
    sticky: options.sticky ?? false,
    stickyCookie: validateCookieName(options.stickyCookie ?? DEFAULT_STICKY_COOKIE),
  };
}

/** The sticky cookie's name when none is given: the pool `default`'s. */
export const DEFAULT_STICKY_COOKIE = 'local-lb';

/** A cookie name HTTP takes as it is: letters, digits, `-` and `_`. */
function validateCookieName(name: unknown): string {
  if (typeof name === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(name)) return name;
  throw new ConfigError(`Invalid sticky cookie name ${JSON.stringify(name)}: expected 1 to 64 letters, digits, "-" or "_".`);
}

/** Throws a `ConfigError` when a backend is the frontend itself: its connections would loop forever. */
export function assertNoLoop(resolved: ResolvedOptions): void {
  const loop = resolved.backends.find((backend) => backend.port === resolved.port && (backend.host === resolved.host || isWildcardHost(resolved.host)));
  if (loop) throw new ConfigError(`Backend ${formatAddress(loop)} is the frontend itself: connections would loop forever.`);
}

export const validateStrategy = (name: unknown): StrategyName => oneOf(name, CHOICE_RULES.strategy.choices, CHOICE_RULES.strategy.what);

export const validateDataPath = (name: unknown): DataPathChoice => oneOf(name, CHOICE_RULES.dataPath.choices, CHOICE_RULES.dataPath.what);

export const validateMode = (name: unknown): Mode => oneOf(name, CHOICE_RULES.mode.choices, CHOICE_RULES.mode.what);

export function resolveHealth(health: Partial<HealthCheckOptions> | false | undefined): HealthCheckOptions | false {
  if (health === false) return false;
  const merged = { ...DEFAULT_HEALTH, ...health };
  oneOf(merged.type, CHOICE_RULES.healthType.choices, CHOICE_RULES.healthType.what);
  if (typeof merged.path !== 'string' || !merged.path.startsWith('/')) {
    throw new ConfigError(`Invalid health check path ${JSON.stringify(merged.path)}: it must start with "/".`);
  }
  checkNumber(NUMBER_RULES.healthIntervalMs, merged.intervalMs);
  checkNumber(NUMBER_RULES.healthTimeoutMs, merged.timeoutMs);
  checkNumber(NUMBER_RULES.healthRise, merged.rise);
  checkNumber(NUMBER_RULES.healthFall, merged.fall);
  return merged;
}
