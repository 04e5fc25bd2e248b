// `--launch COMMAND` or `--procfile FILE`, with `--replicas` and `--base-port`: what to start, as
// process types, one of them balanced.
import { ConfigError, parsePort } from '../../balancer';
import { splitCommand } from './commandLine';
import { readProcfile } from './procfile';

export interface LaunchType {
  /** What its output lines start with: `NAME.INDEX | `. */
  name: string;
  command: string[];
  replicas: number;
  /** Its copies are the pool's backends; the other types run beside them, unbalanced. */
  balanced: boolean;
}

export interface LaunchOptions {
  types: LaunchType[];
  /** `--restart`: a copy that exits is started again, with back-off. */
  restart: boolean;
  /** The first port tried; ports in use are skipped. */
  basePort: number;
}

const MAX_REPLICAS = 32;
const DEFAULT_BASE_PORT = '8101';

/** What to launch, or nothing; `--replicas` or `--base-port` alone, or both forms at once, are refused. */
export function parseLaunch(values: ReadonlyMap<string, readonly string[]>): LaunchOptions | undefined {
  const one = (key: string): string | undefined => values.get(key)?.[0];
  const command = one('launch');
  const procfile = one('procfile');
  if (command !== undefined && procfile !== undefined) throw new ConfigError('Give --launch or --procfile, not both.');
  if (command === undefined && procfile === undefined) {
    const alone = ['replicas', 'base-port', 'restart'].find((key) => values.has(key));
    if (alone) throw new ConfigError(`--${alone} goes with --launch or --procfile: give what starts one copy.`);
    return undefined;
  }
  const basePort = parsePort(one('base-port') ?? DEFAULT_BASE_PORT, 'base port');
  const restart = values.has('restart');
  const replicasText = one('replicas');
  if (command !== undefined) return { basePort, restart, types: [{ name: 'app', command: splitCommand(command), replicas: replicasOf(replicasText ?? '1'), balanced: true }] };
  const types = readProcfile(procfile as string);
  // `--replicas web=3` names the type balanced; a bare count is for `web`, or the first type.
  const named = replicasText !== undefined && replicasText.includes('=') ? replicasText.slice(0, replicasText.indexOf('=')) : undefined;
  const balanced = named ?? (types.some((type) => type.name === 'web') ? 'web' : types[0].name);
  if (!types.some((type) => type.name === balanced)) {
    throw new ConfigError(`Invalid --replicas ${JSON.stringify(replicasText)}: the Procfile has no process type "${balanced}"; it has ${types.map((type) => type.name).join(', ')}.`);
  }
  const count = replicasOf(replicasText === undefined ? '1' : named !== undefined ? replicasText.slice(named.length + 1) : replicasText);
  return { basePort, restart, types: types.map((type) => ({ ...type, replicas: type.name === balanced ? count : 1, balanced: type.name === balanced })) };
}

function replicasOf(text: string): number {
  const replicas = /^[1-9]\d?$/.test(text) ? Number(text) : NaN;
  if (!(replicas <= MAX_REPLICAS)) throw new ConfigError(`Invalid --replicas ${JSON.stringify(text)}: expected 1 to ${MAX_REPLICAS} copies.`);
  return replicas;
}
