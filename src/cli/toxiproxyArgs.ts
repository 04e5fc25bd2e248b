// `local-lb toxiproxy [-host HOST] [-port PORT] [-config FILE]`: the flags of `toxiproxy-server`, so
// that a CI script swaps one program name for another.
import { ConfigError, parseAddress, parsePort, type Address } from '../balancer';

export interface ToxiproxyOptions {
  /** Where the API listens: toxiproxy's default, localhost:8474. */
  api: Address;
  /** Toxiproxy's JSON list of proxies, created at start. */
  config?: string;
  quiet: boolean;
}

export const TOXIPROXY_USAGE = `Usage: local-lb toxiproxy [-host HOST] [-port PORT] [-config FILE]

Serves toxiproxy's HTTP API (2.x): test suites written for toxiproxy-server create their proxies
and toxics through it unchanged. Each proxy is a pool of Local LB, with its toxics as faults.

Options (one or two dashes):
  -host HOST     where the API listens (default localhost; only loopback unless given)
  -port PORT     the API's port (default 8474)
  -config FILE   toxiproxy's JSON list of proxies, created at start
  -quiet         do not log each connection
  -proxy-metrics, -runtime-metrics
                 accepted, as toxiproxy-server takes them: GET /metrics is always served
  -help          show this help
`;

const VALUES = new Set(['host', 'port', 'config']);
/** toxiproxy-server's metrics flags: /metrics is always served here, so they change nothing. */
const SWITCHES = new Set(['quiet', 'help', 'proxy-metrics', 'runtime-metrics']);

/** The options, or `help`; throws a `ConfigError` naming a bad flag or value. */
export function parseToxiproxyArgs(argv: readonly string[]): ToxiproxyOptions | 'help' {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const match = /^--?([a-z-]+)(?:=(.*))?$/.exec(arg);
    const key = match?.[1] === 'h' ? 'help' : (match?.[1] ?? '');
    if (SWITCHES.has(key)) {
      switches.add(key);
      continue;
    }
    if (!VALUES.has(key)) throw new ConfigError(arg.startsWith('-') ? `Unknown option ${JSON.stringify(arg)} for local-lb toxiproxy.` : `Unexpected argument ${JSON.stringify(arg)}.`);
    const value = match?.[2] ?? argv[++i];
    if (value === undefined) throw new ConfigError(`Option -${key} needs a value.`);
    if (values.has(key)) throw new ConfigError(`Option -${key} was given more than once.`);
    values.set(key, value);
  }
  if (switches.has('help')) return 'help';
  const host = values.get('host') ?? 'localhost';
  return {
    api: { host: parseAddress(`${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:1`, 'API host').host, port: parsePort(values.get('port') ?? '8474', 'API port', true) },
    config: values.get('config'),
    quiet: switches.has('quiet'),
  };
}
