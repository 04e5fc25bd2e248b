// The shape of the code, checked: one job per file, said on its first line, and imports one way.
// (Which layer may import which is checked by `npm run lint`.)
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './support/process';

const SRC = join(ROOT, 'src');
const MAX_LINES = 300;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** The source files a file imports (relative imports only), resolved to their paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']*)'/gms)].map((match) => match[1]);
  return specifiers
    .map((specifier) => resolve(dirname(file), specifier))
    .map((path) => [`${path}.ts`, join(path, 'index.ts')].find((candidate) => existsSync(candidate)))
    .filter((path): path is string => path !== undefined);
}

/**
 * The engine's floors, lowest first (docs/architecture.md): a file imports from its own floor or
 * those below, never from one above.
 */
const ENGINE_FLOORS: ReadonlyArray<[name: string, files: RegExp]> = [
  ['basics', /^src\/balancer\/((types|optionTypes|snapshotTypes|eventTypes|errors|clock|optionSchema|hosts|address|options|liveSettings|log|logThrottle|deadlines|idleWatch|socketErrors|descriptorLimit|freePort|httpService)\.ts|traffic\/(trafficTypes|panelMessages)\.ts)$/],
  ['faults, statistics and the data path seam', /^src\/balancer\/(faults\/|statistics\/|dataPath\.ts$)/],
  ['backends', /^src\/balancer\/(backend|strategies|dialer|healthChecker|backends)\.ts$/],
  ['data paths', /^src\/balancer\/(handles\/|sockets\/|(listening|dataPathChoice|openSides)\.ts$)/],
  ['serving', /^src\/balancer\/(http\/|traffic\/|connector\.ts$)/],
  ['facade', /^src\/balancer\/(export\/|(frontend|loadBalancer|poolConfig|pools|snapshots|testRequests|index)\.ts$)/],
];

describe('the shape of the code', () => {
  const files = sourceFiles(SRC);
  const name = (file: string): string => relative(ROOT, file);

  it(`every source file is at most ${MAX_LINES} lines`, () => {
    const long = files.map((file) => [name(file), readFileSync(file, 'utf8').split('\n').length] as const).filter(([, lines]) => lines > MAX_LINES);
    assert.deepEqual(long, []);
  });

  it('every source file says on its first line what it holds', () => {
    const silent = files.filter((file) => !/^\/\/ \S/.test(readFileSync(file, 'utf8'))).map(name);
    assert.deepEqual(silent, []);
  });

  it('every engine file is on one floor, and imports only from its floor or those below', () => {
    const floorOf = (file: string): number => ENGINE_FLOORS.findIndex(([, pattern]) => pattern.test(name(file)));
    const engine = files.filter((file) => name(file).startsWith('src/balancer/'));
    assert.deepEqual(engine.filter((file) => floorOf(file) < 0).map(name), [], 'files on no floor');
    const upward = engine.flatMap((file) =>
      importsOf(file)
        .filter((imported) => floorOf(imported) > floorOf(file))
        .map((imported) => `${name(file)} (${ENGINE_FLOORS[floorOf(file)][0]}) → ${name(imported)} (${ENGINE_FLOORS[floorOf(imported)][0]})`),
    );
    assert.deepEqual(upward, []);
  });

  it('only the choice of data path knows the data paths: everything else sees the DataPath interface', () => {
    const insidePath = /^src\/balancer\/(handles|sockets)\//;
    const reaching = files
      .filter((file) => !insidePath.test(name(file)) && name(file) !== 'src/balancer/dataPathChoice.ts')
      .flatMap((file) => importsOf(file).filter((imported) => insidePath.test(name(imported))).map((imported) => `${name(file)} → ${name(imported)}`));
    assert.deepEqual(reaching, []);
  });

  it('no source file imports itself back through others: the import graph has no cycles', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(name).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });
});
