// A pool's launch configuration as a user writes it (a `--config` pool's `launch`, the settings
// `localLb.launch` and a `localLb.pools` entry's `launch`): a preset or a command, its folder and
// environment, how many copies from which port. Checked whole, each bad value named with its field.
import { ConfigError, parsePort } from '../balancer';
import { splitCommand } from './commandLine';
import { isPresetName, PRESET_NAMES, type PresetName } from './presets';

export interface LaunchSpec {
  /** A preset, or none for a `command` of the user's own. */
  preset?: PresetName;
  /** What the preset starts: a module, a file, an app; its default when left out. */
  target?: string;
  /** The Python interpreter of the Python presets; `python3` when left out. */
  python?: string;
  /** A command of the user's own, `{port}` and `{index}` in its words. */
  command?: string[];
  /** The folder the copies run in, relative to the workspace (or the current folder). */
  cwd?: string;
  /** Environment entries, `{port}` and `{index}` filled in their values. */
  env: Record<string, string>;
  replicas: number;
  basePort: number;
  /** A copy that exits is started again, with back-off. */
  restart: boolean;
}

export const MAX_REPLICAS = 32;
export const DEFAULT_BASE_PORT = 8101;
export const DEFAULT_PYTHON = 'python3';
/** A launch's fields, as the file and the settings name them. */
export const LAUNCH_FIELDS = ['preset', 'target', 'python', 'command', 'cwd', 'env', 'replicas', 'basePort', 'restart'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Flask's preset, one copy from 8101: what a launch is when nothing is said. */
export function defaultLaunch(): LaunchSpec {
  return { preset: 'flask', env: {}, replicas: 1, basePort: DEFAULT_BASE_PORT, restart: false };
}

/** A replica count, 1 to 32, from text (`--replicas 3`) or a number; a `ConfigError` naming `field` when not. */
export function parseReplicas(value: unknown, field: string): number {
  const replicas = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    throw new ConfigError(`Invalid ${field} ${JSON.stringify(value)}: expected 1 to ${MAX_REPLICAS} copies.`);
  }
  return replicas;
}

/** The launch of `value`, an object; `where` names it in errors (`pool "web": launch`); `defaults` for what it leaves out. */
export function parseLaunchSpec(value: unknown, where: string, defaults: Partial<LaunchSpec> = {}): LaunchSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`Invalid ${where} ${JSON.stringify(value)}: expected an object, as {"preset": "fastapi", "target": "main", "replicas": 3}.`);
  }
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !(LAUNCH_FIELDS as readonly string[]).includes(key));
  if (unknown !== undefined) throw new ConfigError(`${where} has an unknown field "${unknown}": expected ${LAUNCH_FIELDS.join(', ')}.`);
  const text = (field: string): string | undefined => {
    const entry = fields[field];
    if (entry === undefined) return undefined;
    if (typeof entry !== 'string' || entry.trim() === '' || entry.includes('\0')) throw new ConfigError(`Invalid ${where}.${field} ${JSON.stringify(entry)}: expected text.`);
    return entry;
  };
  const spec = { ...defaultLaunch(), ...defaults };
  const preset = text('preset');
  if (preset !== undefined && !isPresetName(preset)) throw new ConfigError(`Invalid ${where}.preset ${JSON.stringify(preset)}: expected one of ${PRESET_NAMES.join(', ')}.`);
  if (fields.command !== undefined) {
    if (preset !== undefined) throw new ConfigError(`${where} has both "preset" and "command": give one.`);
    delete spec.preset;
    spec.command = parseCommand(fields.command, `${where}.command`);
  } else if (preset !== undefined) {
    spec.preset = preset;
  }
  spec.target = text('target');
  spec.python = text('python') ?? spec.python;
  spec.cwd = text('cwd');
  spec.env = parseEnv(fields.env, `${where}.env`);
  if (fields.replicas !== undefined) spec.replicas = parseReplicas(fields.replicas, `${where}.replicas`);
  if (fields.basePort !== undefined) spec.basePort = parsePort(String(fields.basePort), `${where}.basePort`);
  if (fields.restart !== undefined) {
    if (typeof fields.restart !== 'boolean') throw new ConfigError(`Invalid ${where}.restart ${JSON.stringify(fields.restart)}: expected true or false.`);
    spec.restart = fields.restart;
  }
  return spec;
}

/** A command as one line of text (split as a shell would, never run by one) or a list of words. */
function parseCommand(value: unknown, field: string): string[] {
  if (typeof value === 'string') return splitCommand(value, field);
  if (Array.isArray(value) && value.length > 0 && value.every((word) => typeof word === 'string' && !word.includes('\0')) && value[0] !== '') return value as string[];
  throw new ConfigError(`Invalid ${field} ${JSON.stringify(value)}: expected a command line or a list of its words, as ["python3", "-m", "http.server", "{port}"].`);
}

/** Environment entries: names as a shell's, values text. */
export function parseEnv(value: unknown, field: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`Invalid ${field} ${JSON.stringify(value)}: expected an object of names and text values.`);
  const env: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (!ENV_NAME.test(name)) throw new ConfigError(`Invalid ${field}: ${JSON.stringify(name)} is not a valid environment variable name.`);
    if (typeof entry !== 'string' || entry.includes('\0')) throw new ConfigError(`Invalid ${field}.${name} ${JSON.stringify(entry)}: expected text.`);
    env[name] = entry;
  }
  return env;
}
