// The pure parser of the `localLb.*` settings: values from a getter, validated, with a message
// naming each bad value. `vsCodeSettings.ts` passes `WorkspaceConfiguration.get`; tests a plain lookup.
import {
  assertNoDuplicates,
  ConfigError,
  DEFAULT_HEALTH,
  DEFAULT_HOST,
  formatAddress,
  parseAddress,
  parseBackendEntry,
  parseEachPool,
  type BackendSpec,
  type BalancerOptions,
  type HealthCheckOptions,
  type PoolDefinition,
} from '../balancer';
import { parseLaunchSpec, separateLaunches, type LaunchSpec } from '../launch';
import { t } from './l10n';
import { CHOICE_SETTINGS, NUMBER_SETTINGS, type ChoiceSetting } from './settingsSchema';

export interface FlaskSettings {
  pythonPath: string;
  /** Empty: the sample app shipped with the extension. */
  appPath: string;
  messageTemplate: string;
  env: Record<string, string>;
}

export interface ExtensionSettings {
  /** The pool `default`, from `localLb.frontend.*`, `localLb.backends`, `localLb.strategy`, … */
  balancer: BalancerOptions & { backends: BackendSpec[] };
  /** The good pools of `localLb.pools`; when there are none, the pool `default` runs instead. */
  pools: PoolDefinition[];
  drainMs: number;
  flask: FlaskSettings;
  autoStart: boolean;
  stopFlaskWithBalancer: boolean;
  /** Toxiproxy's API, served on loopback while enabled. */
  toxiproxyApi: { enabled: boolean; port: number };
  /** What each pool launches, by pool name, where a setting says (`localLb.launch` for `default`, a pool's `launch`). */
  launches: ReadonlyMap<string, LaunchSpec>;
}

export const DEFAULT_BACKEND_PORTS = [8101, 8102, 8103];
/** In VS Code a launch starts three copies unless told: as many as the default backends. */
export const LAUNCH_DEFAULTS: Partial<LaunchSpec> = { replicas: DEFAULT_BACKEND_PORTS.length };
export const DEFAULT_MESSAGE_TEMPLATE = 'hello from server on port {port}';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads every setting; a bad value is reported in `problems` and replaced by its default. */
export function parseSettings(get: (key: string) => unknown): { settings: ExtensionSettings; problems: string[] } {
  const problems: string[] = [];
  const read = <T>(key: string, fallback: T, check: (value: unknown) => T | undefined, expected: string): T => {
    const value = get(key);
    if (value === undefined || value === null) return fallback;
    const checked = check(value);
    if (checked !== undefined) return checked;
    problems.push(t('Ignoring localLb.{0} = {1}: expected {2}.', key, JSON.stringify(value), expected));
    return fallback;
  };
  /** A whole-number setting, by its rule in the schema. */
  const integer = (key: string): number => {
    const { min, max, unit, default: fallback } = NUMBER_SETTINGS[key];
    const expected = unit === 'ms' ? t('milliseconds from {0} to {1}', min, max) : t('a whole number from {0} to {1}', min, max);
    return read(key, fallback, (v) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : undefined), expected);
  };
  /** A setting that is one of a list, by its entry in the schema. */
  const choice = <T extends string>(key: string, { choices, default: fallback }: ChoiceSetting<T>): T =>
    read(key, fallback, (v) => ((choices as readonly unknown[]).includes(v) ? (v as T) : undefined), choices.join(', '));
  const string = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const boolean = (value: unknown) => (typeof value === 'boolean' ? value : undefined);

  const healthType = choice('healthCheck.type', CHOICE_SETTINGS['healthCheck.type']);
  const health: HealthCheckOptions = {
    type: healthType === 'http' ? 'http' : 'tcp',
    path: read('healthCheck.path', DEFAULT_HEALTH.path, (v) => (typeof v === 'string' && v.startsWith('/') ? v : undefined), t('a path starting with "/"')),
    intervalMs: integer('healthCheck.interval'),
    timeoutMs: integer('healthCheck.timeout'),
    rise: integer('healthCheck.rise'),
    fall: integer('healthCheck.fall'),
  };
  const { pools, launches, errors } = separateLaunches(get('pools'), LAUNCH_DEFAULTS);
  for (const error of errors) problems.push(t('Ignoring a launch in localLb.pools: {0}', error.message));
  const launch = get('launch');
  // VS Code gives an object setting left unset the value {}: that says nothing.
  const saysSomething = typeof launch !== 'object' || (launch !== null && Object.keys(launch).length > 0);
  if (launch !== undefined && saysSomething && !launches.has('default')) {
    try {
      launches.set('default', parseLaunchSpec(launch, 'localLb.launch', LAUNCH_DEFAULTS));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(t('Ignoring localLb.launch: {0}', error.message));
    }
  }
  const settings: ExtensionSettings = {
    balancer: {
      host: read('frontend.host', DEFAULT_HOST, (v) => (typeof v === 'string' ? tryHost(v) : undefined), t('an IP address or host name')),
      port: integer('frontend.port'),
      backends: parseBackends(get('backends'), problems),
      strategy: choice('strategy', CHOICE_SETTINGS.strategy),
      health: healthType === 'off' ? false : health,
      connectTimeoutMs: integer('connectTimeout'),
      dataPath: choice('dataPath', CHOICE_SETTINGS.dataPath),
      mode: choice('mode', CHOICE_SETTINGS.mode),
      sticky: read('stickySessions', false, boolean, 'true or false'),
      requestTimeoutMs: integer('requestTimeout'),
      responseTimeoutMs: integer('responseTimeout'),
    },
    pools: parsePoolSettings(pools, problems),
    drainMs: integer('drainTimeout'),
    flask: {
      pythonPath: read('flask.pythonPath', 'python3', (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), t('the path of a Python interpreter')),
      appPath: read('flask.appPath', '', string, t('a file path')).trim(),
      messageTemplate: read('flask.messageTemplate', DEFAULT_MESSAGE_TEMPLATE, string, t('text')),
      env: parseEnv(get('flask.env'), problems),
    },
    autoStart: read('autoStart', false, boolean, 'true or false'),
    stopFlaskWithBalancer: read('stopFlaskWithBalancer', false, boolean, 'true or false'),
    toxiproxyApi: { enabled: read('toxiproxyApi.enabled', false, boolean, 'true or false'), port: integer('toxiproxyApi.port') },
    launches,
  };
  return { settings, problems };
}

/** The pools that run: those of `localLb.pools`, or the pool `default` of the other settings. */
export function poolsToRun(settings: ExtensionSettings): PoolDefinition[] {
  return settings.pools.length > 0 ? settings.pools : [{ name: 'default', options: settings.balancer }];
}

/** Each pool of `localLb.pools` that is good; each one left out is named in `problems`. */
function parsePoolSettings(value: unknown, problems: string[]): PoolDefinition[] {
  if (value === undefined || value === null) return [];
  const { pools, errors } = parseEachPool(value, { mode: CHOICE_SETTINGS.mode.default });
  for (const error of errors) problems.push(t('Ignoring a pool in localLb.pools: {0}', error.message));
  return pools;
}

function parseBackends(value: unknown, problems: string[]): BackendSpec[] {
  if (value === undefined || value === null) return DEFAULT_BACKEND_PORTS.map((port) => ({ host: DEFAULT_HOST, port }));
  if (!Array.isArray(value)) {
    problems.push(t('Ignoring localLb.backends = {0}: expected a list.', JSON.stringify(value)));
    return [];
  }
  const backends: BackendSpec[] = [];
  for (const entry of value) {
    try {
      const backend = parseBackendEntry(entry);
      assertNoDuplicates([...backends, backend]);
      backends.push(backend);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(t('Ignoring backend {0} in localLb.backends: {1}', JSON.stringify(entry), error.message));
    }
  }
  return backends;
}

function parseEnv(value: unknown, problems: string[]): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(t('Ignoring localLb.flask.env = {0}: expected an object of names and text values.', JSON.stringify(value)));
    return {};
  }
  const env: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (!ENV_NAME.test(name)) problems.push(t('Ignoring environment variable {0} in localLb.flask.env: not a valid name.', JSON.stringify(name)));
    else if (typeof text !== 'string') problems.push(t('Ignoring environment variable {0} in localLb.flask.env: its value must be text.', name));
    else env[name] = text;
  }
  return env;
}

function tryHost(host: string): string | undefined {
  try {
    return parseAddress(`${host}:1`, 'frontend').host;
  } catch {
    return undefined;
  }
}

/** `localLb.backends` without the entries that name backend `id`. */
export function withoutBackend(entries: readonly unknown[], id: string): unknown[] {
  return entries.filter((entry) => {
    try {
      return formatAddress(parseBackendEntry(entry)) !== id;
    } catch {
      return true;
    }
  });
}
