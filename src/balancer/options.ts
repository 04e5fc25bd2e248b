// Defaults and validation of the engine's options.
import { assertNoDuplicates, ConfigError, normalizeHost, validateBackendSpec, validatePort } from './address';
import { DEFAULT_HOST } from './hosts';
import { DATA_PATHS, MODES, STRATEGIES, type BalancerOptions, type DataPathChoice, type BackendSpec, type HealthCheckOptions, type Mode, type StrategyName } from './types';

export const DEFAULT_CONNECT_TIMEOUT_MS = 2000;
/** HTTP mode: how long a request head may take to arrive (slowloris), and a kept-alive client may stay silent. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** HTTP mode: how long a backend may take to begin its answer. */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 60_000;
/** How long open connections may finish when the CLI or the extension stops the balancer. */
export const DEFAULT_DRAIN_MS = 5000;
export const DEFAULT_HEALTH: HealthCheckOptions = {
  type: 'tcp',
  path: '/',
  intervalMs: 2000,
  timeoutMs: 1000,
  rise: 2,
  fall: 3,
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
}

export function resolveOptions(options: BalancerOptions): ResolvedOptions {
  const backends = options.backends.map(validateBackendSpec);
  assertNoDuplicates(backends);
  return {
    host: normalizeHost(options.host ?? DEFAULT_HOST, 'frontend host'),
    port: validatePort(options.port, 'frontend port', true),
    backends,
    strategy: validateStrategy(options.strategy ?? 'round-robin'),
    connectTimeoutMs: validateCount(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, 'connect timeout (ms)', 1),
    idleTimeoutMs: validateCount(options.idleTimeoutMs ?? 0, 'idle timeout (ms)', 0),
    maxConnections: validateCount(options.maxConnections ?? 0, 'maximum number of connections', 0),
    health: resolveHealth(options.health),
    dataPath: validateDataPath(options.dataPath ?? 'auto'),
    mode: validateMode(options.mode ?? 'tcp'),
    requestTimeoutMs: validateCount(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, 'request timeout (ms)', 1),
    responseTimeoutMs: validateCount(options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS, 'response timeout (ms)', 1),
    sticky: options.sticky ?? false,
  };
}

export function validateStrategy(name: string): StrategyName {
  const known: readonly string[] = STRATEGIES;
  if (!known.includes(name)) {
    throw new ConfigError(`Unknown strategy ${JSON.stringify(name)}: expected one of ${STRATEGIES.join(', ')}.`);
  }
  return name as StrategyName;
}

export function validateDataPath(name: string): DataPathChoice {
  const known: readonly string[] = DATA_PATHS;
  if (!known.includes(name)) {
    throw new ConfigError(`Unknown data path ${JSON.stringify(name)}: expected one of ${DATA_PATHS.join(', ')}.`);
  }
  return name as DataPathChoice;
}

export function validateMode(name: string): Mode {
  const known: readonly string[] = MODES;
  if (!known.includes(name)) {
    throw new ConfigError(`Unknown mode ${JSON.stringify(name)}: expected one of ${MODES.join(', ')}.`);
  }
  return name as Mode;
}

export function resolveHealth(health: Partial<HealthCheckOptions> | false | undefined): HealthCheckOptions | false {
  if (health === false) return false;
  const merged = { ...DEFAULT_HEALTH, ...health };
  if (merged.type !== 'tcp' && merged.type !== 'http') {
    throw new ConfigError(`Unknown health check type ${JSON.stringify(merged.type)}: expected tcp or http.`);
  }
  if (!merged.path.startsWith('/')) {
    throw new ConfigError(`Invalid health check path ${JSON.stringify(merged.path)}: it must start with "/".`);
  }
  validateCount(merged.intervalMs, 'health check interval (ms)', 1);
  validateCount(merged.timeoutMs, 'health check timeout (ms)', 1);
  validateCount(merged.rise, 'health check rise', 1);
  validateCount(merged.fall, 'health check fall', 1);
  return merged;
}

function validateCount(value: number, what: string, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(`Invalid ${what} ${String(value)}: expected a whole number of at least ${min}.`);
  }
  return value;
}
