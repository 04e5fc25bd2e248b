// The engine's options, each range, list of choices and default written once: the engine checks
// them, and the CLI's parser, the VS Code settings and package.json's settings follow them.
import { ConfigError } from './errors';
import { DATA_PATHS, MODES, STRATEGIES } from './types';

/** The most milliseconds a timer can wait (Node's limit, about 24 days). */
export const MAX_MS = 2 ** 31 - 1;

/** A whole number in a range; `unit: 'ms'` for times. */
export interface NumberRule {
  /** How messages name it: "connect timeout". */
  readonly what: string;
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly unit: 'ms' | 'count';
}

const rule = (what: string, unit: NumberRule['unit'], min: number, max: number, fallback: number): NumberRule => ({ what, unit, min, max, default: fallback });

/** Every number the engine takes, with its range and default. */
export const NUMBER_RULES = {
  connectTimeoutMs: rule('connect timeout', 'ms', 50, 60_000, 2000),
  /** 0: connections are never closed for being idle. */
  idleTimeoutMs: rule('idle timeout', 'ms', 0, MAX_MS, 0),
  /** 0: no limit. */
  maxConnections: rule('maximum number of connections', 'count', 0, 999_999_999, 0),
  /** HTTP mode: how long a request head may take to arrive (slowloris), and a kept-alive client may stay silent. */
  requestTimeoutMs: rule('request timeout', 'ms', 100, 600_000, 10_000),
  /** HTTP mode: how long a backend may take to begin its answer. */
  responseTimeoutMs: rule('response timeout', 'ms', 100, 3_600_000, 60_000),
  /** How long open connections may finish when the CLI or the extension stops the balancer. */
  drainMs: rule('drain timeout', 'ms', 0, 600_000, 5000),
  healthIntervalMs: rule('health check interval', 'ms', 10, 600_000, 2000),
  healthTimeoutMs: rule('health check timeout', 'ms', 10, 60_000, 1000),
  /** Consecutive successes that bring a down backend up. */
  healthRise: rule('health check rise', 'count', 1, 100, 2),
  /** Consecutive failures that bring an up backend down. */
  healthFall: rule('health check fall', 'count', 1, 100, 3),
} as const satisfies Record<string, NumberRule>;

/** Every list of choices the engine takes, with its default. */
export const CHOICE_RULES = {
  strategy: { what: 'strategy', choices: STRATEGIES, default: 'round-robin' },
  mode: { what: 'mode', choices: MODES, default: 'tcp' },
  dataPath: { what: 'data path', choices: DATA_PATHS, default: 'auto' },
  healthType: { what: 'health check type', choices: ['tcp', 'http'], default: 'tcp' },
} as const;

/** `value` if it is a whole number within `rule`, else a `ConfigError` naming it as the user wrote it (`shown`). */
export function checkNumber(rule: NumberRule, value: unknown, shown: string = JSON.stringify(value) ?? String(value)): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= rule.min && value <= rule.max) return value;
  throw new ConfigError(`Invalid ${rule.what} ${shown}: expected ${describeRange(rule)}.`);
}

/** `a whole number from 1 to 100`, `50 ms to 60 s`: what a rule allows, for messages. */
function describeRange(rule: NumberRule): string {
  if (rule.unit === 'count') return rule.max >= 999_999_999 ? `a whole number of at least ${rule.min}` : `a whole number from ${rule.min} to ${rule.max}`;
  return rule.max === MAX_MS ? `at least ${formatMs(rule.min)}` : `${formatMs(rule.min)} to ${formatMs(rule.max)}`;
}

/** `500 ms`, `60 s`, `10 min`: a round time as people write it. */
function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/** `value` if it is one of `allowed`, else a `ConfigError` naming it and the choices. The one place such a check is written. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  if (value === undefined) throw new ConfigError(`Missing the ${what}: expected one of ${allowed.join(', ')}.`);
  throw new ConfigError(`Unknown ${what} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}.`);
}
