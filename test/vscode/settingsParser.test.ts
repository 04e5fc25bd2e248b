import assert from 'node:assert/strict';
import { parseSettings, poolsToRun, withoutBackend } from '../../src/vscode/settingsParser';

const read = (values: Record<string, unknown>) => parseSettings((key) => values[key]);

describe('extension settings', () => {
  it('defaults: 127.0.0.1:8080 over 8101–8103, round robin, tcp checks, python3 and the sample app', () => {
    const { settings, problems } = read({});
    assert.deepEqual(problems, []);
    assert.deepEqual(
      [settings.balancer.host, settings.balancer.port, settings.balancer.backends.map((b) => b.port), settings.balancer.strategy],
      ['127.0.0.1', 8080, [8101, 8102, 8103], 'round-robin'],
    );
    assert.deepEqual(settings.balancer.health, { type: 'tcp', path: '/', intervalMs: 2000, timeoutMs: 1000, rise: 2, fall: 3 });
    assert.deepEqual(settings.flask, { pythonPath: 'python3', appPath: '', messageTemplate: 'hello from server on port {port}', env: {} });
    assert.deepEqual([settings.drainMs, settings.autoStart, settings.stopFlaskWithBalancer], [5000, false, false]);
  });

  it('without localLb.pools, the other settings make the one pool "default"', () => {
    const { settings } = read({ 'frontend.port': 9000, backends: [8101] });
    assert.deepEqual(settings.pools, []);
    assert.deepEqual(poolsToRun(settings), [{ name: 'default', options: settings.balancer }]);
  });

  it('localLb.pools makes the pools, in HTTP mode unless a pool says otherwise', () => {
    const { settings, problems } = read({ pools: [{ name: 'web', frontend: { port: 8080 }, backends: [8101] }, { name: 'api', frontend: { port: 9090 }, backends: ['127.0.0.1:9101'], mode: 'tcp' }] });
    assert.deepEqual(problems, []);
    assert.deepEqual(poolsToRun(settings).map(({ name, options }) => [name, options.port, options.mode, options.backends.map((b) => b.port)]), [
      ['web', 8080, 'http', [8101]],
      ['api', 9090, 'tcp', [9101]],
    ]);
  });

  it('a bad pool is left out and named with its field; a pool whose name or frontend is taken too; the others run', () => {
    const { settings, problems } = read({
      pools: [
        { name: 'web', frontend: { port: 8080 }, backends: [8101] },
        { name: 'api', frontend: { port: 9090 }, strategy: 'fastest' },
        { name: 'web', frontend: { port: 9091 } },
        { name: 'auth', frontend: { port: 8080 } },
      ],
    });
    assert.deepEqual(poolsToRun(settings).map(({ name }) => name), ['web']);
    assert.deepEqual(problems, [
      'Ignoring a pool in localLb.pools: Pool "api", strategy: Unknown strategy "fastest": expected one of round-robin, least-connections, random, source-hash.',
      'Ignoring a pool in localLb.pools: Pools 1 and 3 are both named "web": each pool needs a name of its own.',
      'Ignoring a pool in localLb.pools: Pools "web" and "auth" both listen on 127.0.0.1:8080: give each its own frontend.',
    ]);
  });

  it('backends may be ports, host:port strings or objects with a name', () => {
    const { settings } = read({ backends: [8101, 'localhost:8102', { host: '127.0.0.2', port: 8103, name: 'api' }] });
    assert.deepEqual(settings.balancer.backends, [
      { host: '127.0.0.1', port: 8101 },
      { host: '127.0.0.1', port: 8102 },
      { host: '127.0.0.2', port: 8103, name: 'api' },
    ]);
  });

  it('a bad backend entry is skipped and named; the others stay', () => {
    const { settings, problems } = read({ backends: [8101, 70000, 'abc', { port: '8104' }, 8101] });
    assert.deepEqual(settings.balancer.backends.map((b) => b.port), [8101]);
    assert.deepEqual(problems, [
      'Ignoring backend 70000 in localLb.backends: Invalid backend port "70000": expected a whole number 1–65535.',
      'Ignoring backend "abc" in localLb.backends: Invalid backend port "abc": expected a whole number 1–65535.',
      'Ignoring backend {"port":"8104"} in localLb.backends: Invalid backend {"port":"8104"}: "port" must be a number.',
      'Ignoring backend 8101 in localLb.backends: Duplicate backend 127.0.0.1:8101: each backend may be given once.',
    ]);
  });

  it('a bad scalar setting falls back to its default and is named', () => {
    const { settings, problems } = read({ 'frontend.port': 0, strategy: 'fastest', 'healthCheck.rise': 2.5 });
    assert.deepEqual([settings.balancer.port, settings.balancer.strategy, (settings.balancer.health || { rise: 0 }).rise], [8080, 'round-robin', 2]);
    assert.deepEqual(problems, [
      'Ignoring localLb.healthCheck.rise = 2.5: expected a whole number from 1 to 100.',
      'Ignoring localLb.frontend.port = 0: expected a whole number from 1 to 65535.',
      'Ignoring localLb.strategy = "fastest": expected round-robin, least-connections, random, source-hash.',
    ]);
  });

  it('the data path is automatic by default, may be forced, and a bad one is named', () => {
    assert.equal(read({}).settings.balancer.dataPath, 'auto');
    assert.equal(read({ dataPath: 'sockets' }).settings.balancer.dataPath, 'sockets');
    const { settings, problems } = read({ dataPath: 'fast' });
    assert.equal(settings.balancer.dataPath, 'auto');
    assert.deepEqual(problems, ['Ignoring localLb.dataPath = "fast": expected auto, handles, sockets.']);
  });

  it('HTTP mode by default, without sticky sessions, waiting 10 s for a request head and 60 s for an answer; a bad mode is named', () => {
    const { balancer } = read({}).settings;
    assert.deepEqual([balancer.mode, balancer.sticky, balancer.requestTimeoutMs, balancer.responseTimeoutMs], ['http', false, 10_000, 60_000]);
    const chosen = read({ mode: 'tcp', stickySessions: true, requestTimeout: 2000, responseTimeout: 5000 }).settings.balancer;
    assert.deepEqual([chosen.mode, chosen.sticky, chosen.requestTimeoutMs, chosen.responseTimeoutMs], ['tcp', true, 2000, 5000]);
    const { settings, problems } = read({ mode: 'udp', responseTimeout: 0 });
    assert.equal(settings.balancer.mode, 'http');
    assert.deepEqual(problems, ['Ignoring localLb.mode = "udp": expected tcp, http.', 'Ignoring localLb.responseTimeout = 0: expected milliseconds from 100 to 3600000.']);
  });

  it('health check type off turns checks off', () => {
    assert.equal(read({ 'healthCheck.type': 'off' }).settings.balancer.health, false);
  });

  it('Flask environment entries with bad names or values are skipped and named', () => {
    const { settings, problems } = read({ 'flask.env': { GOOD: '1', 'BAD NAME': 'x', NUM: 3 } });
    assert.deepEqual(settings.flask.env, { GOOD: '1' });
    assert.deepEqual(problems, [
      'Ignoring environment variable "BAD NAME" in localLb.flask.env: not a valid name.',
      'Ignoring environment variable NUM in localLb.flask.env: its value must be text.',
    ]);
  });

  it('removing a backend drops every entry that names it, in any form', () => {
    assert.deepEqual(withoutBackend([8101, 'localhost:8101', { port: 8101, name: 'x' }, 8102, 'junk'], '127.0.0.1:8101'), [8102, 'junk']);
  });

  it('no launch set (VS Code\'s {} included) says nothing: Launch Backends will ask', () => {
    assert.equal(read({}).settings.launches.size, 0);
    assert.equal(read({ launch: {} }).settings.launches.size, 0);
  });

  it('localLb.launch is the pool default\'s launch, three copies unless told; a pool\'s launch is its own', () => {
    const { settings, problems } = read({ launch: { preset: 'fastapi', target: 'api' }, pools: [{ name: 'web', frontend: { port: 8080 }, launch: { command: 'npm start', replicas: 2 } }] });
    assert.deepEqual(problems, []);
    assert.deepEqual([settings.launches.get('default')?.preset, settings.launches.get('default')?.target, settings.launches.get('default')?.replicas], ['fastapi', 'api', 3]);
    assert.deepEqual([settings.launches.get('web')?.command, settings.launches.get('web')?.replicas], [['npm', 'start'], 2]);
    assert.deepEqual(poolsToRun(settings).map(({ name }) => name), ['web']);
  });

  it('a bad launch is left out and named; its pool still runs', () => {
    const { settings, problems } = read({ launch: { preset: 'rails' }, pools: [{ name: 'web', frontend: { port: 8080 }, launch: { replicas: 0 } }] });
    assert.equal(settings.launches.size, 0);
    assert.deepEqual(poolsToRun(settings).map(({ name }) => name), ['web']);
    assert.match(problems.join('\n'), /Ignoring a launch in localLb\.pools: Invalid pool "web": launch\.replicas 0/);
    assert.match(problems.join('\n'), /Ignoring localLb\.launch: Invalid localLb\.launch\.preset "rails"/);
  });

});
