// The presets: how one copy of a Flask, FastAPI, Django, gunicorn, Node, npm or Go app starts on a
// port, as an argument list with `{port}` in it, and what each needs before it can start.

export const PRESET_NAMES = ['flask', 'fastapi', 'django', 'gunicorn', 'node', 'npm', 'go'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Something a preset needs, checked in the app's folder before any copy starts. */
export type Need =
  | { kind: 'file'; path: string }
  | { kind: 'module'; module: string; install: string }
  | { kind: 'program'; program: string; versionArgs: string[]; install: string }
  | { kind: 'startScript' };

export interface Preset {
  name: PresetName;
  /** As people write the framework's name: `FastAPI`. */
  label: string;
  /** What it is told to start, when it must be told: the word, its default and an example. */
  target?: { what: string; default: string };
  /** Whether it runs under the Python interpreter given (`python`, default `python3`). */
  python: boolean;
  /** The copy's arguments, `{port}` in them. */
  command(target: string, python: string): string[];
  /** Environment entries besides `PORT`, which every copy gets. */
  env(target: string): Record<string, string>;
  needs(target: string, python: string): Need[];
}

/** The Python module a `module:app` target's module lives in, as a file to look for. */
function moduleFile(target: string): string {
  return `${target.split(':')[0].replace(/\./g, '/')}.py`;
}

const pythonModule = (module: string, debian: string): Need => ({ kind: 'module', module, install: `apt-get install ${debian}, or pip install ${module}` });

export const PRESETS: Record<PresetName, Preset> = {
  flask: {
    name: 'flask',
    label: 'Flask',
    target: { what: 'app file', default: 'app.py' },
    python: true,
    command: (_target, python) => [python, '-m', 'flask', 'run', '--port', '{port}'],
    env: (target) => ({ FLASK_APP: target }),
    needs: (target) => [{ kind: 'file', path: target }, pythonModule('flask', 'python3-flask')],
  },
  fastapi: {
    name: 'fastapi',
    label: 'FastAPI',
    target: { what: 'module', default: 'main' },
    python: true,
    command: (target, python) => [python, '-m', 'uvicorn', target.includes(':') ? target : `${target}:app`, '--port', '{port}'],
    env: () => ({}),
    needs: (target) => [{ kind: 'file', path: moduleFile(target) }, pythonModule('uvicorn', 'python3-uvicorn'), pythonModule('fastapi', 'python3-fastapi')],
  },
  django: {
    name: 'django',
    label: 'Django',
    python: true,
    command: (_target, python) => [python, 'manage.py', 'runserver', '127.0.0.1:{port}', '--noreload'],
    env: () => ({}),
    needs: () => [{ kind: 'file', path: 'manage.py' }, pythonModule('django', 'python3-django')],
  },
  gunicorn: {
    name: 'gunicorn',
    label: 'gunicorn',
    target: { what: 'app', default: 'app:app' },
    python: true,
    command: (target, python) => [python, '-m', 'gunicorn', target, '--bind', '127.0.0.1:{port}'],
    env: () => ({}),
    needs: (target) => [{ kind: 'file', path: moduleFile(target) }, pythonModule('gunicorn', 'gunicorn')],
  },
  node: {
    name: 'node',
    label: 'Node',
    target: { what: 'file', default: 'server.js' },
    python: false,
    command: (target) => ['node', target],
    env: () => ({}),
    needs: (target) => [{ kind: 'file', path: target }, { kind: 'program', program: 'node', versionArgs: ['--version'], install: 'install Node.js' }],
  },
  npm: {
    name: 'npm',
    label: 'npm',
    python: false,
    command: () => ['npm', 'start'],
    env: () => ({}),
    needs: () => [{ kind: 'startScript' }, { kind: 'program', program: 'npm', versionArgs: ['--version'], install: 'install Node.js with npm' }],
  },
  go: {
    name: 'go',
    label: 'Go',
    python: false,
    command: () => ['go', 'run', '.'],
    env: () => ({}),
    needs: () => [{ kind: 'file', path: 'go.mod' }, { kind: 'program', program: 'go', versionArgs: ['version'], install: 'apt-get install golang-go' }],
  },
};

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && (PRESET_NAMES as readonly string[]).includes(value);
}
