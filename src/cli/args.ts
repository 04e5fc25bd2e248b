// Command-line arguments of `local-lb`, compatible with the Go original (`-f 8080 -p 8101 -p 8102`).
import { availableParallelism } from 'node:os';
import {
  checkNumber,
  ConfigError,
  EXPORT_TARGETS,
  formatAddress,
  isLoopbackHost,
  isRequestFault,
  isWildcardHost,
  MAX_WEIGHT,
  NUMBER_RULES,
  parseAddress,
  resolveOptions,
  validateDataPath,
  validateExportTarget,
  validateMode,
  validateStrategy,
  type Address,
  type BackendSpec,
  type BalancerOptions,
  type ExportTarget,
  type HealthCheckOptions,
  type NumberRule,
} from '../balancer';
import { parseFaultSpec } from './faultSpec';

export interface CliOptions {
  balancer: BalancerOptions;
  drainMs: number;
  admin?: Address;
  quiet: boolean;
  /** Processes accepting on the frontend port, this one included. */
  workers: number;
}

export type CliCommand =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'export'; target: ExportTarget; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'version' };

export const USAGE = `Usage: local-lb -f PORT -p PORT [-p PORT ...] [options]
       local-lb export haproxy|nginx|envoy|kubernetes -f PORT -p PORT ... [options]

A load balancer for local development, of TCP connections or HTTP requests. With export, prints
the setup the options describe as that engine's configuration, instead of running it.

Options:
  -f, --frontend [HOST:]PORT   where to listen (0 picks a free port)
  -p, --backend [HOST:]PORT[=WEIGHT]
                               a backend, with its weight (1-256, default 1); repeat it, or
                               separate several with commas
      --host HOST              listening host (default 127.0.0.1)
      --mode tcp|http          balance connections, bytes copied as they are (tcp, the default),
                               or each HTTP/1.x request on its own over kept-alive connections
      --strategy NAME          round-robin (default), least-connections, random or
                               source-hash (the client's address picks the backend)
      --sticky                 HTTP mode: a cookie keeps each client on its first backend
      --request-timeout TIME   HTTP mode: answer 408 to a request head not complete in this
                               time, and close kept-alive clients silent this long (default 10s)
      --response-timeout TIME  HTTP mode: answer 504 when a backend has not begun to answer
                               in this time (default 60s)
      --health CHECK           tcp (default), http:/path, or off
      --health-interval TIME   time between health checks (default 2s)
      --connect-timeout TIME   give up connecting to a backend after this (default 2s)
      --idle-timeout TIME      close connections idle this long (default 0: never)
      --drain-timeout TIME     on SIGINT/SIGTERM, let connections finish this long (default 5s)
      --max-connections N      serve at most N clients at once; close the excess (default: no limit)
      --admin [HOST:]PORT      serve GET /stats (JSON), /metrics (Prometheus) and the traffic
                               panel (GET /, its data at /traffic) on loopback
      --workers N|auto         processes sharing the work, to use more cores (default 1; auto:
                               one per core); each balances its own connections
      --fault BACKEND:TYPE[,KEY=VALUE...]
                               break a backend on purpose, as toxiproxy's toxics: latency,
                               bandwidth, slow_close, timeout, reset_peer, slicer, limit_data,
                               and in HTTP mode http_status and http_abort
                               (e.g. 8101:latency,latency=300ms,jitter=50); repeatable
      --data-path NAME         what copies the bytes: handles (libuv's stream handles, the fast
                               one), sockets (net.Socket), or auto (default: handles when their
                               self-test at start passes)
  -q, --quiet                  do not log each connection (above 100 a second they are
                               counted instead anyway)
  -h, --help                   show this help
  -v, --version                show the version

TIME is a number with a unit: 500ms, 2s, 1m (a bare number means seconds).
`;

const VALUE_FLAGS: Record<string, string> = {
  '-f': 'frontend',
  '--frontend': 'frontend',
  '-p': 'backend',
  '--backend': 'backend',
  '--host': 'host',
  '--strategy': 'strategy',
  '--health': 'health',
  '--health-interval': 'health-interval',
  '--connect-timeout': 'connect-timeout',
  '--idle-timeout': 'idle-timeout',
  '--drain-timeout': 'drain-timeout',
  '--max-connections': 'max-connections',
  '--admin': 'admin',
  '--workers': 'workers',
  '--data-path': 'data-path',
  '--fault': 'fault',
  '--mode': 'mode',
  '--request-timeout': 'request-timeout',
  '--response-timeout': 'response-timeout',
};
const SWITCHES: Record<string, string> = {
  '--sticky': 'sticky',
  '-q': 'quiet',
  '--quiet': 'quiet',
  '-h': 'help',
  '--help': 'help',
  '-v': 'version',
  '--version': 'version',
};
const REPEATABLE = new Set(['backend', 'fault']);

/** Parses and validates everything, so nothing binds when any argument is wrong. */
export function parseArgs(argv: readonly string[]): CliCommand {
  if (argv[0] === 'export') {
    const target = argv[1];
    if (target === undefined || target.startsWith('-')) throw new ConfigError(`local-lb export needs a target first: ${EXPORT_TARGETS.join(', ')}.`);
    const command = parseArgs(argv.slice(2));
    return command.kind === 'run' ? { kind: 'export', target: validateExportTarget(target), options: command.options } : command;
  }
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
    // Go's flag package also takes `--f` for `-f`; accept both spellings of each flag.
    const flag = normalizeFlag(eq > 0 ? arg.slice(0, eq) : arg);
    if (SWITCHES[flag]) {
      if (eq > 0) throw new ConfigError(`Option ${flag} takes no value (got ${JSON.stringify(arg)}).`);
      switches.add(SWITCHES[flag]);
      continue;
    }
    const key = VALUE_FLAGS[flag];
    if (!key) {
      throw new ConfigError(
        arg.startsWith('-') ? `Unknown option ${JSON.stringify(arg)}.` : `Unexpected argument ${JSON.stringify(arg)}.`,
      );
    }
    let value: string;
    if (eq > 0) {
      value = arg.slice(eq + 1);
    } else if (i + 1 < argv.length) {
      value = argv[++i];
    } else {
      throw new ConfigError(`Option ${flag} needs a value.`);
    }
    if (values.has(key) && !REPEATABLE.has(key)) throw new ConfigError(`Option ${flag} was given more than once.`);
    values.set(key, [...(values.get(key) ?? []), value]);
  }

  if (switches.has('help')) return { kind: 'help' };
  if (switches.has('version')) return { kind: 'version' };

  const one = (key: string): string | undefined => values.get(key)?.[0];
  const frontendText = one('frontend');
  if (frontendText === undefined) throw new ConfigError('Missing the frontend port: give -f PORT.');
  const frontend = parseAddress(frontendText, 'frontend', true);
  const frontendHasHost = frontendText.includes(':');
  const hostText = one('host');
  if (hostText !== undefined && frontendHasHost) {
    throw new ConfigError(`Give the listening host once: either --host ${hostText} or -f ${frontendText}.`);
  }
  const host = hostText ?? (frontendHasHost ? frontend.host : undefined);

  const backends = (values.get('backend') ?? []).flatMap((text) => text.split(',')).map(parseBackend);
  if (backends.length === 0) throw new ConfigError('No backends: give at least one -p PORT.');
  const balancer: BalancerOptions = {
    host,
    port: frontend.port,
    backends,
    strategy: validateStrategy(one('strategy') ?? 'round-robin'),
    health: parseHealth(one('health'), one('health-interval')),
    connectTimeoutMs: parseDuration(one('connect-timeout'), NUMBER_RULES.connectTimeoutMs),
    idleTimeoutMs: parseDuration(one('idle-timeout'), NUMBER_RULES.idleTimeoutMs),
    maxConnections: parseCount(one('max-connections'), NUMBER_RULES.maxConnections),
    dataPath: validateDataPath(one('data-path') ?? 'auto'),
    mode: validateMode(one('mode') ?? 'tcp'),
    sticky: switches.has('sticky'),
    requestTimeoutMs: parseDuration(one('request-timeout'), NUMBER_RULES.requestTimeoutMs),
    responseTimeoutMs: parseDuration(one('response-timeout'), NUMBER_RULES.responseTimeoutMs),
  };
  const httpOnly = ['sticky', 'request-timeout', 'response-timeout'].find((key) => values.has(key) || switches.has(key));
  if (httpOnly && balancer.mode !== 'http') throw new ConfigError(`--${httpOnly} applies to HTTP mode: add --mode http.`);
  const resolved = resolveOptions(balancer);
  const faultNames = new Map<string, Set<string>>();
  const faults = (values.get('fault') ?? []).map((text) => parseFaultSpec(text, resolved.backends, faultNames));
  const requestFault = faults.find(({ fault }) => isRequestFault(fault.type));
  if (requestFault && balancer.mode !== 'http') throw new ConfigError(`--fault ${requestFault.fault.type} acts on requests: add --mode http.`);
  if (faults.length > 0) balancer.faults = faults;
  const loop = resolved.backends.find(
    (backend) => backend.port === resolved.port && (backend.host === resolved.host || isWildcardHost(resolved.host)),
  );
  if (loop) {
    throw new ConfigError(`Backend ${formatAddress(loop)} is the frontend itself: connections would loop forever.`);
  }
  const adminText = one('admin');
  const workers = parseWorkers(one('workers') ?? '1');
  if (balancer.maxConnections && balancer.maxConnections < workers) {
    throw new ConfigError(
      `--max-connections ${balancer.maxConnections} is fewer than --workers ${workers}: the limit is shared out among the workers, give each at least one.`,
    );
  }
  return {
    kind: 'run',
    options: {
      balancer,
      drainMs: parseDuration(one('drain-timeout'), NUMBER_RULES.drainMs),
      admin: adminText === undefined ? undefined : parseAdmin(adminText),
      quiet: switches.has('quiet'),
      workers,
    },
  };
}

function normalizeFlag(flag: string): string {
  if (flag.startsWith('--') && flag.length === 3) return flag.slice(1);
  if (/^-[a-z][a-z-]+$/.test(flag)) return `-${flag}`;
  return flag;
}

const MS_PER_UNIT = { ms: 1, s: 1000, m: 60_000 };

/** A whole number written plainly, within `rule`; its default when not given. */
function parseCount(text: string | undefined, rule: NumberRule): number {
  if (text === undefined) return rule.default;
  const count = /^(0|[1-9]\d{0,8})$/.test(text.trim()) ? Number(text) : NaN;
  if (Number.isNaN(count)) throw new ConfigError(`Invalid ${rule.what} ${JSON.stringify(text)}: expected a whole number (0 for no limit).`);
  return checkNumber(rule, count, JSON.stringify(text));
}

const MAX_WORKERS = 64;

function parseWorkers(text: string): number {
  if (text === 'auto') return availableParallelism();
  const count = /^[1-9]\d{0,2}$/.test(text) ? Number(text) : NaN;
  if (!(count <= MAX_WORKERS)) {
    throw new ConfigError(`Invalid number of workers ${JSON.stringify(text)}: expected 1 to ${MAX_WORKERS}, or auto (one per core).`);
  }
  return count;
}

/** `500ms`, `2s`, `1.5s`, `1m`, or a bare number of seconds, within `rule`; returns milliseconds, the default when not given. */
export function parseDuration(text: string | undefined, rule: NumberRule): number {
  if (text === undefined) return rule.default;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const unit = (match?.[2] ?? 's') as keyof typeof MS_PER_UNIT;
  const ms = match ? Math.round(Number(match[1]) * MS_PER_UNIT[unit]) : NaN;
  if (Number.isNaN(ms)) throw new ConfigError(`Invalid ${rule.what} ${JSON.stringify(text)}: expected a duration like 500ms, 2s or 1m.`);
  return checkNumber(rule, ms, JSON.stringify(text));
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

/** The admin endpoint shows statistics to anyone who can reach it, so it stays on loopback. */
function parseAdmin(text: string): Address {
  const address = parseAddress(text, 'admin address', true);
  if (!isLoopbackHost(address.host)) {
    throw new ConfigError(`Invalid admin address ${JSON.stringify(text)}: it must be on loopback (127.0.0.1 or ::1).`);
  }
  return address;
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
