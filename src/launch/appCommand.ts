// From a launch configuration to the command one copy runs: the preset's arguments or the user's,
// the folder and the environment, after checking what the preset needs (its files, its Python
// modules, its program). No shell runs anything here: programs get their arguments as data.
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { MissingNeedError } from '../balancer';
import { DEFAULT_PYTHON, type LaunchSpec } from './launchSpec';
import { PRESETS, type Need } from './presets';

/** What starts one copy; `{port}` and `{index}` in its words, environment values and folder are filled in per copy. */
export interface AppCommand {
  /** What the copies are called: the preset's label (`FastAPI`), `app` for a command, a Procfile's type. */
  label: string;
  command: string[];
  env: Record<string, string>;
  /** An absolute folder. */
  cwd: string;
}

/** How long a check may run: importing a big Python module takes a while. */
const CHECK_TIMEOUT_MS = 15_000;

/**
 * The command of `spec`, its folder taken relative to `folder`; for a preset, first checks what it
 * needs and throws a `MissingNeedError` naming the first thing missing and how to get it.
 */
export async function appCommand(spec: LaunchSpec, folder: string): Promise<AppCommand> {
  const cwd = spec.cwd === undefined ? folder : isAbsolute(spec.cwd) ? spec.cwd : join(folder, spec.cwd);
  if (!(await isFolder(cwd))) throw new MissingNeedError(`The launch folder ${JSON.stringify(cwd)} does not exist.`);
  if (spec.preset === undefined) return { label: 'app', command: spec.command ?? [], env: spec.env, cwd };
  const preset = PRESETS[spec.preset];
  const target = spec.target ?? preset.target?.default ?? '';
  const python = spec.python ?? DEFAULT_PYTHON;
  for (const need of preset.needs(target, python)) {
    const missing = await missingNeed(need, cwd, python);
    if (missing !== undefined) throw new MissingNeedError(`${preset.label}'s preset needs ${missing}`);
  }
  return { label: preset.label, command: preset.command(target, python), env: { ...preset.env(target), ...spec.env }, cwd };
}

/** What is missing of `need`, said for a message, or undefined when it is there. */
async function missingNeed(need: Need, cwd: string, python: string): Promise<string | undefined> {
  switch (need.kind) {
    case 'file':
      return (await isFile(resolve(cwd, need.path))) ? undefined : `the file ${need.path}, which is not in ${cwd}.`;
    case 'startScript':
      return (await hasStartScript(join(cwd, 'package.json'))) ? undefined : `a package.json with a "start" script in ${cwd}.`;
    case 'module': {
      const failure = await run(python, ['-c', `import ${need.module}`], cwd);
      if (failure === undefined) return undefined;
      if (failure === 'ENOENT') return `the Python interpreter ${JSON.stringify(python)}, which was not found: give its path (python).`;
      return `the Python module ${need.module}, which ${python} cannot import: ${need.install}.`;
    }
    case 'program':
      return (await run(need.program, need.versionArgs, cwd)) === undefined ? undefined : `the program ${need.program}, which does not run here: ${need.install}.`;
  }
}

/** Runs `program` with `args` (no shell); undefined when it succeeds, else `ENOENT` or `failed`. */
function run(program: string, args: string[], cwd: string): Promise<'ENOENT' | 'failed' | undefined> {
  return new Promise((resolve) => {
    execFile(program, args, { cwd, timeout: CHECK_TIMEOUT_MS }, (error) => {
      if (!error) resolve(undefined);
      else resolve((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'ENOENT' : 'failed');
    });
  });
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((found) => found.isFile(), () => false);
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((found) => found.isDirectory(), () => false);
}

async function hasStartScript(path: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(path, 'utf8')) as { scripts?: Record<string, unknown> };
    return typeof manifest.scripts?.start === 'string';
  } catch {
    return false;
  }
}
