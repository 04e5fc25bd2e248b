// The pool `default` as the Go original's flags describe it: `-f 8080 -p 8101 -p 8102` and the options of one balancer.
import {
  assertNoLoop,
  ConfigError,
  MAX_WEIGHT,
  NUMBER_RULES,
  parseAddress,
  resolveOptions,
  validateDataPath,
  validateMode,
  validateStrategy,
  type BackendSpec,
  type BalancerOptions,
  type HealthCheckOptions,
} from '../balancer';
import { parseCount, parseDuration } from './flagValues';

/** The flags that describe the pool, refused next to `--config` (whose pools say it themselves). */
export const POOL_FLAGS = [
  'frontend', 'backend', 'host', 'strategy', 'health', 'health-interval', 'connect-timeout', 'idle-timeout',
  'max-connections', 'data-path', 'mode', 'request-timeout', 'response-timeout', 'sticky',
] as const;

/** Each flag's values, as given; a switch is there with no value. */
export type FlagValues = ReadonlyMap<string, readonly string[]>;

/** The pool's options from the flags; throws a `ConfigError` naming a missing or bad one. With `launching`, backends come from the launched copies too, and `-p` may be left out. */
export function poolFromFlags(values: FlagValues, launching = false): BalancerOptions {
  const one = (key: string): string | undefined => values.get(key)?.[0];
  const frontendText = one('frontend');
  if (frontendText === undefined) throw new ConfigError('Missing the frontend port: give -f PORT (or --config FILE for several pools).');
  const frontend = parseAddress(frontendText, 'frontend', true);
  const frontendHasHost = frontendText.includes(':');
  const hostText = one('host');
  if (hostText !== undefined && frontendHasHost) {
    throw new ConfigError(`Give the listening host once: either --host ${hostText} or -f ${frontendText}.`);
  }
  const backends = (values.get('backend') ?? []).flatMap((text) => text.split(',')).map(parseBackend);
  if (backends.length === 0 && !launching) throw new ConfigError('No backends: give at least one -p PORT (or --launch the app).');
  const options: BalancerOptions = {
    host: hostText ?? (frontendHasHost ? frontend.host : undefined),
    port: frontend.port,
    backends,
    strategy: validateStrategy(one('strategy') ?? 'round-robin'),
    health: parseHealth(one('health'), one('health-interval')),
    connectTimeoutMs: parseDuration(one('connect-timeout'), NUMBER_RULES.connectTimeoutMs),
    idleTimeoutMs: parseDuration(one('idle-timeout'), NUMBER_RULES.idleTimeoutMs),
    maxConnections: parseCount(one('max-connections'), NUMBER_RULES.maxConnections),
    dataPath: validateDataPath(one('data-path') ?? 'auto'),
    mode: validateMode(one('mode') ?? 'tcp'),
    sticky: values.has('sticky'),
    requestTimeoutMs: parseDuration(one('request-timeout'), NUMBER_RULES.requestTimeoutMs),
    responseTimeoutMs: parseDuration(one('response-timeout'), NUMBER_RULES.responseTimeoutMs),
  };
  const httpOnly = ['sticky', 'request-timeout', 'response-timeout'].find((key) => values.has(key));
  if (httpOnly && options.mode !== 'http') throw new ConfigError(`--${httpOnly} applies to HTTP mode: add --mode http.`);
  assertNoLoop(resolveOptions(options));
  return options;
}

function parseHealth(check: string | undefined, interval: string | undefined): Partial<HealthCheckOptions> | false {
  const intervalMs = interval === undefined ? undefined : parseDuration(interval, NUMBER_RULES.healthIntervalMs);
  const timing = intervalMs === undefined ? {} : { intervalMs, timeoutMs: Math.min(NUMBER_RULES.healthTimeoutMs.default, intervalMs) };
  if (check === undefined || check === 'tcp') return { type: 'tcp', ...timing };
  if (check === 'off') return false;
  const http = /^http(?::(.*))?$/.exec(check);
  if (http) {
    const path = http[1] || '/';
    if (!path.startsWith('/')) {
      throw new ConfigError(`Invalid health check ${JSON.stringify(check)}: the path must start with "/", as in http:/health.`);
    }
    return { type: 'http', path, ...timing };
  }
  throw new ConfigError(`Invalid health check ${JSON.stringify(check)}: expected tcp, http:/path or off.`);
}

/** `[HOST:]PORT[=WEIGHT]`. */
function parseBackend(text: string): BackendSpec {
  const at = text.lastIndexOf('=');
  if (at < 0) return parseAddress(text);
  const weight = text.slice(at + 1);
  if (!/^\d{1,3}$/.test(weight) || Number(weight) < 1 || Number(weight) > MAX_WEIGHT) {
    throw new ConfigError(`Invalid weight ${JSON.stringify(weight)} in ${JSON.stringify(text)}: expected a whole number from 1 to ${MAX_WEIGHT}.`);
  }
  return { ...parseAddress(text.slice(0, at)), weight: Number(weight) };
}
