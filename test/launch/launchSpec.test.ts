// A pool's launch as a user writes it: a preset or a command, its folder, environment and copies, each bad field named.
import assert from 'node:assert/strict';
import { parseLaunchSpec, separateLaunches } from '../../src/launch';

describe('launch configurations', () => {
  it('nothing said is Flask\'s preset, one copy from 8101, not restarted', () => {
    assert.deepEqual(parseLaunchSpec({}, 'launch'), { preset: 'flask', python: undefined, env: {}, replicas: 1, basePort: 8101, restart: false, target: undefined, cwd: undefined });
  });

  it('a preset with its target, folder, environment, copies and restarts', () => {
    const spec = parseLaunchSpec({ preset: 'fastapi', target: 'api.main', cwd: 'services/api', env: { MODE: 'copy {index}' }, replicas: 3, basePort: 9001, restart: true }, 'launch');
    assert.deepEqual([spec.preset, spec.target, spec.cwd, spec.env, spec.replicas, spec.basePort, spec.restart], ['fastapi', 'api.main', 'services/api', { MODE: 'copy {index}' }, 3, 9001, true]);
  });

  it('a command as one line is split as a shell would, and as a list is taken word for word', () => {
    assert.deepEqual(parseLaunchSpec({ command: `python3 -m http.server {port} --bind '127.0.0.1'` }, 'launch').command, ['python3', '-m', 'http.server', '{port}', '--bind', '127.0.0.1']);
    assert.deepEqual(parseLaunchSpec({ command: ['sh', '-c', '$(id); `x`'] }, 'launch').command, ['sh', '-c', '$(id); `x`']);
    assert.equal(parseLaunchSpec({ command: 'x' }, 'launch').preset, undefined);
  });

  it('each bad value is refused naming its field', () => {
    for (const [value, message] of [
      [[], /Invalid launch \[\]: expected an object/],
      [{ preset: 'rails' }, /Invalid launch\.preset "rails": expected one of flask, fastapi, django, gunicorn, node, npm, go/],
      [{ preset: 'go', command: 'go run .' }, /launch has both "preset" and "command"/],
      [{ command: [] }, /Invalid launch\.command \[\]: expected a command line or a list of its words/],
      [{ command: 'x "y' }, /Invalid launch\.command "x \\"y": a " quote is not closed/],
      [{ replicas: 0 }, /Invalid launch\.replicas 0: expected 1 to 32 copies/],
      [{ replicas: 33 }, /Invalid launch\.replicas 33/],
      [{ replicas: 2.5 }, /Invalid launch\.replicas 2\.5/],
      [{ basePort: 70000 }, /launch\.basePort/],
      [{ env: { 'BAD NAME': 'x' } }, /Invalid launch\.env: "BAD NAME" is not a valid environment variable name/],
      [{ env: { A: 1 } }, /Invalid launch\.env\.A 1: expected text/],
      [{ restart: 'yes' }, /Invalid launch\.restart "yes": expected true or false/],
      [{ cwd: '' }, /Invalid launch\.cwd "": expected text/],
      [{ replica: 3 }, /launch has an unknown field "replica"/],
    ] as const) {
      assert.throws(() => parseLaunchSpec(value, 'launch'), message, JSON.stringify(value));
    }
  });

  it('a pools list gives up its launch fields, each kept by pool name; a bad one is named with its pool', () => {
    const { pools, launches, errors } = separateLaunches([
      { name: 'web', backends: [8101], launch: { preset: 'npm', replicas: 2 } },
      { name: 'api', launch: { preset: 'nope' } },
      { name: 'db', backends: [5432] },
    ]);
    assert.deepEqual(pools, [{ name: 'web', backends: [8101] }, { name: 'api' }, { name: 'db', backends: [5432] }]);
    assert.deepEqual([...launches.keys()], ['web']);
    assert.equal(launches.get('web')?.replicas, 2);
    assert.match(errors[0].message, /Invalid pool "api": launch\.preset "nope"/);
  });
});
