// Pools as a user writes them: fields named as the settings, defaults as today, and every mistake
// named with its pool and field.
import assert from 'node:assert/strict';
import { parsePools, type PoolDefinition } from '../../src/balancer';

const parse = (pools: unknown): PoolDefinition[] => parsePools(pools, { mode: 'tcp' });
const refused = (pools: unknown, message: string, code = 'LLB_BAD_VALUE'): void => {
  assert.throws(() => parse(pools), (error: Error & { code?: string }) => {
    assert.equal(error.message, message);
    assert.equal(error.code, code);
    return true;
  });
};

describe('pools as written', () => {
  it('each pool becomes its options: frontend, backends in every form, mode, strategy, checks', () => {
    const [web, api] = parse([
      {
        name: 'web',
        frontend: { host: '127.0.0.1', port: 8080 },
        backends: [8101, '127.0.0.1:8102', { port: 8103, weight: 2 }],
        mode: 'http',
        strategy: 'least-connections',
        healthCheck: { type: 'http', path: '/health', interval: 500 },
        connectTimeout: 300,
      },
      { name: 'api', frontend: { port: 9090 }, backends: [9101, 9102] },
    ]);
    assert.deepEqual(web, {
      name: 'web',
      options: {
        host: '127.0.0.1',
        port: 8080,
        backends: [{ host: '127.0.0.1', port: 8101 }, { host: '127.0.0.1', port: 8102 }, { host: '127.0.0.1', port: 8103, weight: 2 }],
        mode: 'http',
        stickyCookie: 'local-lb-web',
        strategy: 'least-connections',
        connectTimeoutMs: 300,
        health: { type: 'http', path: '/health', intervalMs: 500 },
      },
    });
    assert.deepEqual(api, { name: 'api', options: { host: undefined, port: 9090, backends: [{ host: '127.0.0.1', port: 9101 }, { host: '127.0.0.1', port: 9102 }], mode: 'tcp', stickyCookie: 'local-lb-api' } });
  });

  it('each pool but "default" has a sticky cookie named for it', () => {
    const pools = parse([{ name: 'default', frontend: { port: 8080 } }, { name: 'api', frontend: { port: 9090 } }]);
    assert.deepEqual(pools.map(({ options }) => options.stickyCookie), [undefined, 'local-lb-api']);
  });

  it('a field left out takes the default of who reads it: the mode is the extension\'s http there', () => {
    const [pool] = parsePools([{ name: 'web', frontend: { port: 8080 } }], { mode: 'http' });
    assert.equal(pool.options.mode, 'http');
  });

  it('health checks may be off', () => {
    assert.equal(parse([{ name: 'web', frontend: { port: 8080 }, healthCheck: { type: 'off' } }])[0].options.health, false);
  });

  it('a list is needed, of objects', () => {
    refused({ web: {} }, '"pools" must be a list of pools, not {"web":{}}.');
    refused([7], 'Pool 1 must be an object, not 7.');
  });

  it('a pool needs a name that is a short identifier, and a frontend with a port', () => {
    refused([{ frontend: { port: 8080 } }], 'Pool 1: invalid name undefined: expected 1 to 32 letters, digits, "-" or "_", starting with a letter (such as "web").');
    refused([{ name: 'my web', frontend: { port: 8080 } }], 'Pool 1: invalid name "my web": expected 1 to 32 letters, digits, "-" or "_", starting with a letter (such as "web").');
    refused([{ name: 'web' }], 'Pool "web": the frontend is missing: give "frontend": {"port": 8080}.');
    refused([{ name: 'web', frontend: { host: '127.0.0.1' } }], 'Pool "web", frontend: the port is missing: give {"port": 8080}.');
  });

  it('an unknown field is named, with its pool', () => {
    refused([{ name: 'web', frontend: { port: 8080 }, backend: [8101] }], 'Pool 1 has an unknown field "backend": expected name, frontend, backends, mode, strategy, stickySessions, dataPath, healthCheck, connectTimeout, idleTimeout, maxConnections, requestTimeout, responseTimeout.');
    refused([{ name: 'web', frontend: { port: 8080 }, healthCheck: { every: 5 } }], 'Pool "web", healthCheck: the health check has an unknown field "every": expected type, path, interval, timeout, rise, fall.');
  });

  it('a bad value is named with its pool and field, and the range it must fall in', () => {
    refused([{ name: 'web', frontend: { port: 70000 } }], 'Pool "web", frontend: Invalid frontend port "70000": expected a whole number 0–65535 (0 picks a free port).');
    refused([{ name: 'web', frontend: { port: 8080 }, connectTimeout: 5 }], 'Pool "web", connectTimeout: Invalid connect timeout 5: expected 50 ms to 1 min.');
    refused([{ name: 'web', frontend: { port: 8080 }, mode: 'udp' }], 'Pool "web", mode: Unknown mode "udp": expected one of tcp, http.');
    refused([{ name: 'web', frontend: { port: 8080 }, backends: ['nope'] }], 'Pool "web", backends: Invalid backend port "nope": expected a whole number 1–65535.');
    refused([{ name: 'web', frontend: { port: 8080 }, stickySessions: 'yes' }], 'Pool "web", stickySessions: expected true or false, not "yes".');
  });

  it('names and frontends are each one pool\'s: a duplicate is a conflict naming both', () => {
    refused([{ name: 'web', frontend: { port: 8080 } }, { name: 'web', frontend: { port: 8081 } }], 'Pools 1 and 2 are both named "web": each pool needs a name of its own.', 'LLB_CONFLICT');
    refused([{ name: 'web', frontend: { port: 8080 } }, { name: 'api', frontend: { host: 'localhost', port: 8080 } }], 'Pools "web" and "api" both listen on 127.0.0.1:8080: give each its own frontend.', 'LLB_CONFLICT');
  });

  it('several pools may ask for any free port (0)', () => {
    assert.equal(parse([{ name: 'a', frontend: { port: 0 } }, { name: 'b', frontend: { port: 0 } }]).length, 2);
  });

  it('a backend given twice in one pool is a conflict; the same backend in two pools is fine', () => {
    refused([{ name: 'web', frontend: { port: 8080 }, backends: [8101, 'localhost:8101'] }], 'Pool "web", backends: Duplicate backend 127.0.0.1:8101: each backend may be given once.', 'LLB_CONFLICT');
    assert.equal(parse([{ name: 'a', frontend: { port: 8080 }, backends: [8101] }, { name: 'b', frontend: { port: 8081 }, backends: [8101] }]).length, 2);
  });
});
