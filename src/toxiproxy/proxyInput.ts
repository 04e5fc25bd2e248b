// What a client sends to create or change a proxy or a toxic, read as toxiproxy reads it: its
// fields checked, its defaults (a toxic's attributes left out are 0) filled in.
import { ConfigError, FAULT_ATTRIBUTES, parseAddress, type Address, type FaultSpec, type FaultType } from '../balancer';

/** What creates or changes a proxy; toxiproxy's fields, each checked here. */
export interface ProxyInput {
  name?: unknown;
  listen?: unknown;
  upstream?: unknown;
  enabled?: unknown;
}

/** Names a path can carry and a log line can show: printable, without `/` or spaces. */
const PROXY_NAME = /^[!-.0-~]{1,64}$/;

/** Toxiproxy takes an attribute left out as 0: where 0 is a value the fault takes, so does this API. */
export function withZeroes(spec: FaultSpec): FaultSpec {
  const rules = typeof spec.type === 'string' && spec.type in FAULT_ATTRIBUTES ? FAULT_ATTRIBUTES[spec.type as FaultType] : undefined;
  const given = typeof spec.attributes === 'object' && spec.attributes !== null ? (spec.attributes as Record<string, unknown>) : undefined;
  if (!rules || (spec.attributes !== undefined && !given)) return spec;
  const zeroes = Object.fromEntries(Object.entries(rules).filter(([, rule]) => rule.default === undefined && rule.min <= 0).map(([key]) => [key, 0]));
  return { ...spec, attributes: { ...zeroes, ...given } };
}

export function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

export function proxyName(value: unknown): string {
  if (!nonEmpty(value)) throw new ConfigError('missing required field: name');
  if (!PROXY_NAME.test(value)) throw new ConfigError(`bad request body: invalid name ${JSON.stringify(value)}: expected 1 to 64 printable characters, without spaces or "/"`);
  return value;
}

export function listenOf(value: unknown): Address {
  if (typeof value !== 'string') throw new ConfigError('bad request body: "listen" must be text, as "127.0.0.1:0"');
  // `:8080` (every address, for toxiproxy) stays on loopback here.
  return parseAddress(value.startsWith(':') ? `127.0.0.1${value}` : value, 'listen', true);
}

export function upstreamOf(value: unknown): Address {
  if (!nonEmpty(value)) throw new ConfigError('missing required field: upstream');
  return parseAddress(value, 'upstream');
}

/** `enabled` as given; left out or null, `fallback`. */
export function enabledOf(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError('bad request body: "enabled" must be true or false');
  return value;
}
