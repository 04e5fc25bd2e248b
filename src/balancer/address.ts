// Parsing and validation of ports and backend addresses. Every message names the bad value.
import { isIP } from 'node:net';
import { ConfigError, ConflictError } from './errors';
import { DEFAULT_HOST } from './hosts';
import type { Address, BackendSpec } from './types';

const PLAIN_PORT = /^[1-9][0-9]*$/;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * A port written plainly as a whole number 1–65535 (`0x1F90`, `8080.0`, `1e3`, `08080` are refused).
 * `allowZero` accepts `0`, meaning "any free port", for listening addresses.
 */
export function parsePort(text: string, what = 'port', allowZero = false): number {
  const trimmed = text.trim();
  const port = trimmed === '0' || PLAIN_PORT.test(trimmed) ? Number(trimmed) : NaN;
  return validatePort(port, what, allowZero, text);
}

/** A port given as a number (from settings or an API call); `shown` is how the user wrote it. */
export function validatePort(port: number, what = 'port', allowZero = false, shown = String(port)): number {
  if (Number.isInteger(port) && port >= (allowZero ? 0 : 1) && port <= 65535) return port;
  const range = allowZero ? '0–65535 (0 picks a free port)' : '1–65535';
  throw new ConfigError(`Invalid ${what} ${JSON.stringify(shown)}: expected a whole number ${range}.`);
}

export function normalizeHost(host: string, what = 'host'): string {
  const trimmed = host.trim();
  if (trimmed.toLowerCase() === 'localhost') return DEFAULT_HOST;
  const unbracketed = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  if (isIP(unbracketed) !== 0) return unbracketed;
  if (trimmed.length <= 253 && HOST_NAME.test(trimmed)) return trimmed;
  throw new ConfigError(`Invalid ${what} ${JSON.stringify(host)}: expected an IP address or a host name.`);
}

/** `8101`, `host:8101` or `[::1]:8101`; a bare port means 127.0.0.1. */
export function parseAddress(text: string, what = 'backend', allowZeroPort = false): Address {
  const trimmed = text.trim();
  if (trimmed === '') throw new ConfigError(`Invalid ${what} "": expected a port or host:port.`);
  const colon = trimmed.lastIndexOf(':');
  const bracketed = trimmed.startsWith('[') && trimmed.indexOf(']') < colon;
  if (colon < 0 || (isIP(trimmed) === 6 && !bracketed)) {
    return { host: DEFAULT_HOST, port: parsePort(trimmed, `${what} port`, allowZeroPort) };
  }
  const hostPart = trimmed.slice(0, colon);
  if (hostPart === '') throw new ConfigError(`Invalid ${what} ${JSON.stringify(text)}: the host before ":" is empty.`);
  return {
    host: normalizeHost(hostPart, `${what} host`),
    port: parsePort(trimmed.slice(colon + 1), `${what} port`, allowZeroPort),
  };
}

/** `host:port`, with IPv6 hosts in brackets; the id of a backend. */
export function formatAddress({ host, port }: Address): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Checks a backend given as an object (from settings or an API call) and normalizes its host. */
export function validateBackendSpec(spec: BackendSpec): BackendSpec {
  const port = validatePort(spec.port, 'backend port');
  const host = normalizeHost(spec.host ?? DEFAULT_HOST, 'backend host');
  const name = spec.name?.trim();
  const weight = validateWeight(spec.weight);
  return { host, port, ...(name ? { name } : {}), ...(weight !== 1 ? { weight } : {}) };
}

const BACKEND_FIELDS = new Set(['host', 'port', 'name', 'weight']);

/** A backend as settings and the pools file give it: a port, `host:port`, or `{ host, port, name, weight }`. */
export function parseBackendEntry(entry: unknown): BackendSpec {
  if (typeof entry === 'number') return validateBackendSpec({ host: DEFAULT_HOST, port: entry });
  if (typeof entry === 'string') return parseAddress(entry);
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const shown = JSON.stringify(entry);
    const unknown = Object.keys(entry).find((key) => !BACKEND_FIELDS.has(key));
    if (unknown !== undefined) throw new ConfigError(`Invalid backend ${shown}: unknown field "${unknown}" (a backend has host, port, name and weight).`);
    const { host, port, name, weight } = entry as Record<string, unknown>;
    if (typeof port !== 'number') throw new ConfigError(`Invalid backend ${shown}: "port" must be a number.`);
    if (host !== undefined && typeof host !== 'string') throw new ConfigError(`Invalid backend ${shown}: "host" must be text.`);
    if (name !== undefined && typeof name !== 'string') throw new ConfigError(`Invalid backend ${shown}: "name" must be text.`);
    if (weight !== undefined && typeof weight !== 'number') throw new ConfigError(`Invalid backend ${shown}: "weight" must be a number.`);
    return validateBackendSpec({ host: host ?? DEFAULT_HOST, port, ...(name ? { name } : {}), ...(weight !== undefined ? { weight } : {}) });
  }
  throw new ConfigError(`Invalid backend ${JSON.stringify(entry)}: expected a port, "host:port" or {"host", "port", "name", "weight"}.`);
}

/** The most a backend may weigh: 256 times the lightest, as HAProxy's and nginx's weights go. */
export const MAX_WEIGHT = 256;

export function validateWeight(weight: unknown): number {
  if (weight === undefined) return 1;
  if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
    throw new ConfigError(`Invalid weight ${JSON.stringify(weight)}: expected a whole number from 1 to ${MAX_WEIGHT}.`);
  }
  return weight;
}

/**
 * The backend `text` names as a user would: by its id, by an address that means the same (`8101`,
 * `localhost:8101`, or `:8101` as the Backends view labels it), or by its name. The one place a
 * backend is found from what a user typed.
 */
export function findBackend<T extends { readonly id: string; readonly name?: string }>(backends: readonly T[], text: string): T | undefined {
  const trimmed = text.trim();
  let id: string | undefined;
  try {
    id = formatAddress(parseAddress(trimmed.startsWith(':') ? trimmed.slice(1) : trimmed));
  } catch {
    // Not an address: it may still be a name.
  }
  return backends.find((backend) => backend.id === id || backend.name === text);
}

/** Refuses the same backend twice, naming it. */
export function assertNoDuplicates(backends: readonly Address[]): void {
  const seen = new Set<string>();
  for (const backend of backends) {
    const id = formatAddress(backend);
    if (seen.has(id)) throw new ConflictError(`Duplicate backend ${id}: each backend may be given once.`);
    seen.add(id);
  }
}

/** How views name a backend (the tree, the traffic panel): its name, `:8101` on this machine, else `host:port`. */
export function shortLabel(backend: { host: string; port: number; name?: string }): string {
  if (backend.name) return backend.name;
  return backend.host === DEFAULT_HOST ? `:${backend.port}` : formatAddress(backend);
}
