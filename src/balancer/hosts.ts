// Which hosts are this machine: the default host, loopback and wildcard addresses, in one place.
import { isIP } from 'node:net';

/**
 * Where the balancer listens and where a bare backend port points. Flask binds 127.0.0.1, and
 * Node ≥ 17 resolves `localhost` to ::1 first, so `localhost` is pinned to this too.
 */
export const DEFAULT_HOST = '127.0.0.1';

/** 127.0.0.0/8 and ::1: addresses of this machine. */
export function isLoopbackHost(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/** 0.0.0.0 and ::, which listen on every address of the machine. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** The address to connect to for a listening host: a wildcard is reached on the loopback of its family. */
export function reachableHost(host: string): string {
  if (!isWildcardHost(host)) return host;
  return isIP(host) === 6 ? '::1' : DEFAULT_HOST;
}

/**
 * The other loopback address, tried when one refuses: a server on this machine may listen on
 * IPv4 or on IPv6 only (Node resolves `localhost` to ::1 first, Flask binds 127.0.0.1).
 */
export function otherLoopback(host: string): string | undefined {
  if (host === DEFAULT_HOST) return '::1';
  if (host === '::1') return DEFAULT_HOST;
  return undefined;
}
