// What an export writes from: each pool's settings, checked for what a production engine's
// syntax could be tricked by (a name or path that would add a line or a directive).
import { formatAddress } from '../address';
import { ConfigError } from '../errors';
import { resolveOptions } from '../options';
import type { PoolDefinition } from '../poolConfig';
import type { HealthCheckOptions, Mode, StrategyName } from '../types';

export const EXPORT_TARGETS = ['haproxy', 'nginx', 'envoy', 'kubernetes'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportBackend {
  /** `host:port`, as Local LB names it. */
  id: string;
  host: string;
  port: number;
  weight: number;
  /** A name every target takes as an identifier: letters, digits, `_`, `-` and `.` only. */
  key: string;
  /** The display name, if one was set, as text safe in a comment. */
  name?: string;
}

export interface ExportSetup {
  /** The first lines: who wrote it and when. */
  header: string[];
  pools: ExportPool[];
}

export interface ExportPool {
  /** The pool's name, as Local LB names it. */
  name: string;
  /**
   * What names the pool's sections, an identifier every target takes: `local_lb` for the pool
   * `default` (so that a one-pool export reads as before pools), else `local_lb_NAME`.
   */
  key: string;
  mode: Mode;
  strategy: StrategyName;
  host: string;
  port: number;
  backends: ExportBackend[];
  health: HealthCheckOptions | false;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  requestTimeoutMs: number;
  responseTimeoutMs: number;
  sticky: boolean;
  /** The sticky cookie's name. */
  cookie: string;
  maxConnections: number;
}

/** A health check path as HTTP puts it in a request line: no space, no control character, none of `;{}"'\`. */
const SAFE_PATH = /^\/[A-Za-z0-9\-._~!$&()*+,=:@%/?]*$/;
/** Host names and addresses: what a resolver takes, nothing a configuration language reads as syntax. */
const SAFE_HOST = /^[A-Za-z0-9.:-]+$/;

export function exportSetup(pools: readonly PoolDefinition[], target: ExportTarget, version: string, now = new Date()): ExportSetup {
  return {
    header: [`Written by Local LB ${version} on ${now.toISOString()} for ${target}, from the balancer's current setup.`],
    // With several pools, a setting that cannot be written names its pool.
    pools: pools.map((pool) => (pools.length > 1 ? namingPool(pool.name, () => exportPool(pool)) : exportPool(pool))),
  };
}

function namingPool<T>(name: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if (error instanceof ConfigError) error.message = `Pool "${name}": ${error.message}`;
    throw error;
  }
}

function exportPool({ name, options }: PoolDefinition): ExportPool {
  const resolved = resolveOptions(options);
  const health = resolved.health;
  if (health && health.type === 'http' && !SAFE_PATH.test(health.path)) {
    throw new ConfigError(`Cannot export the health check path ${JSON.stringify(health.path)}: it holds characters a configuration file would read as syntax; use a plain path such as /health.`);
  }
  const keys = new Set<string>();
  const backends = resolved.backends.map((spec): ExportBackend => {
    const id = formatAddress(spec);
    if (!SAFE_HOST.test(spec.host)) throw new ConfigError(`Cannot export backend ${JSON.stringify(id)}: its host holds characters a configuration file would read as syntax.`);
    const base = identifier(spec.name ?? `backend_${spec.port}`);
    let key = base;
    for (let n = 2; keys.has(key); n++) key = `${base}_${n}`;
    keys.add(key);
    return { id, host: spec.host, port: spec.port, weight: spec.weight ?? 1, key, ...(spec.name ? { name: commentText(spec.name) } : {}) };
  });
  return {
    name,
    key: name === 'default' ? 'local_lb' : `local_lb_${identifier(name)}`,
    mode: resolved.mode,
    strategy: resolved.strategy,
    host: resolved.host,
    port: resolved.port,
    backends,
    health,
    connectTimeoutMs: resolved.connectTimeoutMs,
    idleTimeoutMs: resolved.idleTimeoutMs,
    requestTimeoutMs: resolved.requestTimeoutMs,
    responseTimeoutMs: resolved.responseTimeoutMs,
    sticky: resolved.sticky,
    cookie: resolved.stickyCookie,
    maxConnections: resolved.maxConnections,
  };
}

/** Letters, digits, `_`, `-` and `.`; anything else becomes `_`. */
export function identifier(text: string): string {
  const key = text.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60);
  return /^[A-Za-z_]/.test(key) ? key : `b_${key}`;
}

/** Text for a comment: one line, no control characters. */
export function commentText(text: string): string {
  return [...text].map((char) => (char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127 ? ' ' : char)).join('');
}

/** `2s` for whole seconds, else `1500ms`: what HAProxy, nginx and Envoy all read. */
export function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Lines as `# …` comments (the syntax every target shares). */
export function comments(lines: readonly string[], indent = ''): string {
  return lines.map((line) => `${indent}# ${commentText(line)}`.trimEnd()).join('\n');
}

/** The header comment: `setup.header`, then what each pool's settings the target cannot express (named with the pool when there are several). */
export function headerComment(setup: ExportSetup, notesOf: (pool: ExportPool) => string[]): string {
  const several = setup.pools.length > 1;
  const notes = setup.pools.flatMap((pool) => notesOf(pool).map((note) => (several ? `Pool ${pool.name}: ${note}` : note)));
  return comments([...setup.header, ...(notes.length > 0 ? ['', 'Not mapped exactly:', ...notes.map((line) => `- ${line}`)] : [])]);
}
