// Command-line arguments of `local-lb`, compatible with the Go original (`-f 8080 -p 8101 -p 8102`),
// and `--config FILE` for several pools.
import { availableParallelism } from 'node:os';
import {
  ConfigError,
  EXPORT_TARGETS,
  isLoopbackHost,
  isRequestFault,
  NUMBER_RULES,
  parseAddress,
  resolveOptions,
  validateExportTarget,
  type Address,
  type ExportTarget,
  type PoolDefinition,
} from '../balancer';
import { readConfigFile, type ConfigFile } from './configFile';
import { parseFaultSpec } from './faultSpec';
import { parseLaunch, type PoolLaunch } from './launch/launchArgs';
import { parseDuration } from './flagValues';
import { POOL_FLAGS, poolFromFlags, type FlagValues } from './poolFlags';
import { parseToxiproxyArgs, type ToxiproxyOptions } from './toxiproxyArgs';

export { parseDuration } from './flagValues';

export interface CliOptions {
  /** The pool `default` of the flags, or the pools of `--config`. */
  pools: PoolDefinition[];
  drainMs: number;
  admin?: Address;
  quiet: boolean;
  /** Processes accepting on every frontend port, this one included. */
  workers: number;
  /** Where toxiproxy's API is served too, if asked. */
  toxiproxyApi?: Address;
  /** What each pool launches (`--launch`, `--preset` or `--procfile` for `default`, `--config` pools' `launch`): copies of the app, as its backends. */
  launches: PoolLaunch[];
}

export type CliCommand =
  | { kind: 'run'; options: CliOptions }
  /** `local-lb toxiproxy`: toxiproxy-server's stand-in. */
  | { kind: 'toxiproxy'; options: ToxiproxyOptions }
  /** `--check`: the pools, checked, to print. */
  | { kind: 'check'; options: CliOptions }
  | { kind: 'export'; target: ExportTarget; options: CliOptions }
  | { kind: 'help' }
  | { kind: 'toxiproxyHelp' }
  | { kind: 'version' };

export const USAGE = `Usage: local-lb -f PORT -p PORT [-p PORT ...] [options]
       local-lb --config FILE [--check] [options]
       local-lb export haproxy|nginx|envoy|kubernetes (-f PORT -p PORT ... | --config FILE)
       local-lb toxiproxy [-host HOST] [-port PORT] [-config FILE]

A load balancer for local development, of TCP connections or HTTP requests. With export, prints
the setup the options describe as that engine's configuration, instead of running it. With
toxiproxy, serves toxiproxy's API in place of toxiproxy-server (local-lb toxiproxy -help).

Several services: --config FILE reads their pools, each with its own frontend and backends, from a
JSON file {"pools": [{"name": "web", "frontend": {"port": 8080}, "backends": [8101, 8102]}, ...]}
(docs/pools.md). The options from -f to --data-path describe the one pool "default" instead.

Options:
      --config FILE            the pools of a JSON file, in place of -f, -p and the pool's options
      --check                  check the options (or the file) and print the pools, without starting them
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
      --toxiproxy-api [HOST:]PORT
                               serve toxiproxy's API too: its proxies are pools of their own
      --launch COMMAND         start copies of the app as backends: one per --replicas, on the
                               first free ports from --base-port, {port} and {index} filled in
                               and PORT set; run without a shell, stopped with local-lb
      --preset NAME[:TARGET]   the same with a preset, checked before it starts: flask[:app.py],
                               fastapi[:main], django, gunicorn[:app:app], node[:server.js],
                               npm, go
      --procfile FILE          start a Procfile's process types: copies of one (web, or the
                               one --replicas names) as backends, the others once beside them
      --replicas N|TYPE=N      copies --launch (or the Procfile's type) starts (1-32, default 1)
      --base-port PORT         the first port tried for the copies (default 8101)
      --restart                start a copy that exits again, after 1 s doubling to 30 s
      --cwd DIR                the folder the copies run in (default: the current one)
      --env NAME=VALUE         an environment entry for the copies, {port} and {index} filled
                               in; repeatable
      --python PATH            the Python interpreter of the Python presets (default python3)
      --workers N|auto         processes sharing the work, to use more cores (default 1; auto:
                               one per core); each balances its own connections
      --fault [POOL/]BACKEND:TYPE[,KEY=VALUE...]
                               break a backend on purpose, as toxiproxy's toxics: latency,
                               bandwidth, slow_close, timeout, reset_peer, slicer, limit_data,
                               and in HTTP mode http_status and http_abort
                               (e.g. 8101:latency,latency=300ms,jitter=50, or with --config
                               web/8101:latency,latency=300ms); repeatable
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
  '--config': 'config',
  '--toxiproxy-api': 'toxiproxy-api',
  '--launch': 'launch',
  '--procfile': 'procfile',
  '--replicas': 'replicas',
  '--base-port': 'base-port',
  '--preset': 'preset',
  '--cwd': 'cwd',
  '--env': 'env',
  '--python': 'python',
};
const SWITCHES: Record<string, string> = {
  '--sticky': 'sticky',
  '-q': 'quiet',
  '--quiet': 'quiet',
  '-h': 'help',
  '--help': 'help',
  '-v': 'version',
  '--version': 'version',
  '--check': 'check',
  '--restart': 'restart',
};
const REPEATABLE = new Set(['backend', 'fault', 'env']);

/** Parses and validates everything, so nothing binds when any argument is wrong. */
export function parseArgs(argv: readonly string[]): CliCommand {
  if (argv[0] === 'toxiproxy') {
    const options = parseToxiproxyArgs(argv.slice(1));
    return options === 'help' ? { kind: 'toxiproxyHelp' } : { kind: 'toxiproxy', options };
  }
  if (argv[0] === 'export') {
    const target = argv[1];
    if (target === undefined || target.startsWith('-')) throw new ConfigError(`local-lb export needs a target first: ${EXPORT_TARGETS.join(', ')}.`);
    const command = parseArgs(argv.slice(2));
    return command.kind === 'run' ? { kind: 'export', target: validateExportTarget(target), options: command.options } : command;
  }
  /** Each flag's values; a switch's is empty. */
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
    // Go's flag package also takes `--f` for `-f`; accept both spellings of each flag.
    const flag = normalizeFlag(eq > 0 ? arg.slice(0, eq) : arg);
    if (SWITCHES[flag]) {
      if (eq > 0) throw new ConfigError(`Option ${flag} takes no value (got ${JSON.stringify(arg)}).`);
      values.set(SWITCHES[flag], []);
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

  if (values.has('help')) return { kind: 'help' };
  if (values.has('version')) return { kind: 'version' };

  const one = (key: string): string | undefined => values.get(key)?.[0];
  const configPath = one('config');
  const launch = parseLaunch(values);
  if (launch && configPath !== undefined) throw new ConfigError('--launch, --preset and --procfile start the backends of the pool -f describes: give -f, or a pool\'s "launch" in the --config file.');
  const config = configPath === undefined ? undefined : configPools(configPath, values);
  const pools = config?.pools ?? [{ name: 'default', options: poolFromFlags(values, launch !== undefined) }];
  const launches = config?.launches ?? (launch ? [launch] : []);
  addFaults(pools, values.get('fault') ?? []);
  const adminText = one('admin');
  const toxiproxyText = one('toxiproxy-api');
  const workers = parseWorkers(one('workers') ?? '1');
  for (const { name, options } of pools) {
    if (options.maxConnections && options.maxConnections < workers) {
      throw new ConfigError(
        `${pools.length > 1 ? `Pool "${name}": ` : ''}--max-connections ${options.maxConnections} is fewer than --workers ${workers}: the limit is shared out among the workers, give each at least one.`,
      );
    }
  }
  const options: CliOptions = {
    pools,
    drainMs: parseDuration(one('drain-timeout'), NUMBER_RULES.drainMs),
    admin: adminText === undefined ? undefined : parseAdmin(adminText),
    quiet: values.has('quiet'),
    workers,
    ...(toxiproxyText === undefined ? {} : { toxiproxyApi: parseAddress(toxiproxyText, 'toxiproxy API address', true) }),
    launches,
  };
  return { kind: values.has('check') ? 'check' : 'run', options };
}

/** The pools of `--config`, which says everything of a pool: the pool's own flags are refused next to it. */
function configPools(path: string, values: FlagValues): ConfigFile {
  const given = POOL_FLAGS.find((key) => values.has(key));
  if (given !== undefined) throw new ConfigError(`--${given} describes one pool, and --config reads every pool from the file: give one or the other (set the pool's fields in the file).`);
  return readConfigFile(path);
}

/** `--fault [POOL/]BACKEND:…` into its pool's options; without a pool name, the only pool (or `default`). */
function addFaults(pools: readonly PoolDefinition[], texts: readonly string[]): void {
  const taken = new Map<string, Map<string, Set<string>>>();
  for (const text of texts) {
    const head = text.split(',')[0];
    const slash = head.indexOf('/');
    const name = slash < 0 ? (pools.length === 1 ? pools[0].name : 'default') : head.slice(0, slash);
    const pool = pools.find((candidate) => candidate.name === name);
    if (!pool) {
      const hint = slash < 0 ? 'name the pool first, as web/8101:latency' : `the pools are ${pools.map((candidate) => candidate.name).join(', ')}`;
      throw new ConfigError(`Invalid --fault ${JSON.stringify(text)}: ${slash < 0 ? 'there is no pool "default"' : `unknown pool "${name}"`}; ${hint}.`);
    }
    const names = taken.get(name) ?? new Map<string, Set<string>>();
    taken.set(name, names);
    const fault = parseFaultSpec(slash < 0 ? text : text.slice(slash + 1), resolveOptions(pool.options).backends, names);
    if (isRequestFault(fault.fault.type) && pool.options.mode !== 'http') {
      throw new ConfigError(`--fault ${fault.fault.type} acts on requests: ${pools.length > 1 ? `give pool "${name}" "mode": "http"` : 'add --mode http'}.`);
    }
    pool.options.faults = [...(pool.options.faults ?? []), fault];
  }
}

function normalizeFlag(flag: string): string {
  if (flag.startsWith('--') && flag.length === 3) return flag.slice(1);
  if (/^-[a-z][a-z-]+$/.test(flag)) return `-${flag}`;
  return flag;
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

/** The admin endpoint shows statistics to anyone who can reach it, so it stays on loopback. */
function parseAdmin(text: string): Address {
  const address = parseAddress(text, 'admin address', true);
  if (!isLoopbackHost(address.host)) {
    throw new ConfigError(`Invalid admin address ${JSON.stringify(text)}: it must be on loopback (127.0.0.1 or ::1).`);
  }
  return address;
}
