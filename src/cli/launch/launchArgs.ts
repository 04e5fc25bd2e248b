// `--launch COMMAND`, `--preset NAME[:TARGET]` or `--procfile FILE`, with `--replicas`,
// `--base-port`, `--restart`, `--cwd`, `--env` and `--python`: what the pool `default` launches, as
// process types, one of them balanced.
import { ConfigError, parsePort } from '../../balancer';
import { defaultLaunch, isPresetName, parseEnv, parseReplicas, PRESET_NAMES, readProcfile, splitCommand, type LaunchSpec } from '../../launch';

export interface LaunchType {
  /** What its copies are called (`web`, giving `web.2 | …`); the preset's or `app` when left out. */
  name?: string;
  spec: LaunchSpec;
  /** Its copies are the pool's backends; the other types run beside them, unbalanced. */
  balanced: boolean;
}

/** What one pool launches. */
export interface PoolLaunch {
  pool: string;
  types: LaunchType[];
}

const FORMS = ['launch', 'preset', 'procfile'] as const;
const OPTIONS = ['replicas', 'base-port', 'restart', 'cwd', 'env', 'python'];

/** What the flags launch, or nothing; the options alone, or two forms at once, are refused. */
export function parseLaunch(values: ReadonlyMap<string, readonly string[]>): PoolLaunch | undefined {
  const one = (key: string): string | undefined => values.get(key)?.[0];
  const forms = FORMS.filter((form) => values.has(form));
  if (forms.length > 1) throw new ConfigError(`Give one of --launch, --preset and --procfile, not --${forms[0]} and --${forms[1]}.`);
  if (forms.length === 0) {
    const alone = OPTIONS.find((key) => values.has(key));
    if (alone) throw new ConfigError(`--${alone} goes with --launch, --preset or --procfile: give what starts one copy.`);
    return undefined;
  }
  const spec = defaultLaunch();
  spec.basePort = parsePort(one('base-port') ?? String(spec.basePort), 'base port');
  spec.restart = values.has('restart');
  spec.cwd = one('cwd');
  spec.python = one('python');
  spec.env = parseEnv(Object.fromEntries((values.get('env') ?? []).map(envEntry)), '--env');
  const replicasText = one('replicas');
  const command = one('launch');
  if (command !== undefined) {
    delete spec.preset;
    spec.command = splitCommand(command);
    spec.replicas = parseReplicas(replicasText ?? '1', '--replicas');
    return { pool: 'default', types: [{ spec, balanced: true }] };
  }
  const preset = one('preset');
  if (preset !== undefined) {
    const [name, ...target] = preset.split(':');
    if (!isPresetName(name)) throw new ConfigError(`Invalid --preset ${JSON.stringify(preset)}: expected one of ${PRESET_NAMES.join(', ')}, with what it starts after a colon (fastapi:main).`);
    spec.preset = name;
    if (target.length > 0) spec.target = target.join(':');
    spec.replicas = parseReplicas(replicasText ?? '1', '--replicas');
    return { pool: 'default', types: [{ spec, balanced: true }] };
  }
  const types = readProcfile(one('procfile') as string);
  // `--replicas web=3` names the type balanced; a bare count is for `web`, or the first type.
  const named = replicasText !== undefined && replicasText.includes('=') ? replicasText.slice(0, replicasText.indexOf('=')) : undefined;
  const balanced = named ?? (types.some((type) => type.name === 'web') ? 'web' : types[0].name);
  if (!types.some((type) => type.name === balanced)) {
    throw new ConfigError(`Invalid --replicas ${JSON.stringify(replicasText)}: the Procfile has no process type "${balanced}"; it has ${types.map((type) => type.name).join(', ')}.`);
  }
  const count = parseReplicas(replicasText === undefined ? '1' : named !== undefined ? replicasText.slice(named.length + 1) : replicasText, '--replicas');
  return {
    pool: 'default',
    types: types.map((type) => {
      const own: LaunchSpec = { ...spec, command: type.command, replicas: type.name === balanced ? count : 1 };
      delete own.preset;
      return { name: type.name, spec: own, balanced: type.name === balanced };
    }),
  };
}

/** `--env NAME=VALUE`. */
function envEntry(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigError(`Invalid --env ${JSON.stringify(text)}: expected NAME=VALUE.`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}
