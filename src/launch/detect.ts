// What a workspace suggests launching: the presets its files point to (`requirements.txt` naming
// fastapi, `manage.py`, a `package.json` with a start script, `go.mod`, a `Procfile`), best first.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PresetName } from './presets';

export interface Suggestion {
  /** A preset, or `procfile` for the folder's Procfile. */
  preset: PresetName | 'procfile';
  /** What the preset starts, when the files say: the FastAPI module, the Flask file. */
  target?: string;
  /** Why, for people: `requirements.txt names fastapi`. */
  reason: string;
}

/** How a Python file that makes the framework's app reads; the first such file at the top is the target. */
const APP_MAKERS: ReadonlyArray<[preset: 'fastapi' | 'flask', maker: RegExp]> = [
  ['fastapi', /\bFastAPI\s*\(/],
  ['flask', /\bFlask\s*\(/],
];
const PYTHON_FRAMEWORKS: readonly PresetName[] = ['fastapi', 'django', 'flask'];

/** The suggestions of `folder`, best first, each preset once; none when nothing points anywhere. */
export async function suggestLaunch(folder: string): Promise<Suggestion[]> {
  const names = new Set(await readdir(folder).catch(() => [] as string[]));
  const text = (name: string): Promise<string> => (names.has(name) ? readFile(join(folder, name), 'utf8').catch(() => '') : Promise.resolve(''));
  const suggestions: Suggestion[] = [];
  const add = (suggestion: Suggestion): void => {
    if (!suggestions.some((known) => known.preset === suggestion.preset)) suggestions.push(suggestion);
  };
  if (names.has('Procfile')) add({ preset: 'procfile', reason: 'Procfile' });
  for (const file of ['requirements.txt', 'pyproject.toml']) {
    const requirements = (await text(file)).toLowerCase();
    for (const framework of PYTHON_FRAMEWORKS) {
      if (new RegExp(`(^|[^a-z0-9_-])${framework}([^a-z0-9_-]|$)`, 'm').test(requirements)) add({ preset: framework, reason: `${file} names ${framework}` });
    }
  }
  if (names.has('manage.py')) add({ preset: 'django', reason: 'manage.py' });
  const manifest = await text('package.json');
  if (/"start"\s*:/.test(manifest)) add({ preset: 'npm', reason: 'package.json has a start script' });
  else if (manifest !== '') add({ preset: 'node', target: mainOf(manifest), reason: 'package.json' });
  if (names.has('go.mod')) add({ preset: 'go', reason: 'go.mod' });
  // The Python app's file or module: the top-level file that makes it, which suggests it alone too.
  const python = [...names].filter((name) => name.endsWith('.py')).sort();
  for (const [preset, maker] of APP_MAKERS) {
    for (const name of python) {
      if (!maker.test(await text(name))) continue;
      const target = preset === 'fastapi' ? name.slice(0, -3) : name;
      const known = suggestions.find((suggestion) => suggestion.preset === preset);
      if (known) known.target = target;
      else add({ preset, target, reason: `${name} makes a ${preset === 'fastapi' ? 'FastAPI' : 'Flask'} app` });
      break;
    }
  }
  return suggestions;
}

function mainOf(manifest: string): string | undefined {
  try {
    const main = (JSON.parse(manifest) as { main?: unknown }).main;
    return typeof main === 'string' ? main : undefined;
  } catch {
    return undefined;
  }
}
