import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { ConfigError, NUMBER_RULES, type BalancerOptions } from '../../src/balancer';
import { parseArgs, parseDuration, type CliOptions } from '../../src/cli/args';

function run(argv: string): CliOptions {
  const command = parseArgs(argv.split(' ').filter(Boolean));
  assert.equal(command.kind, 'run');
  return command.options;
}

/** The one pool the flags describe. */
function pool(argv: string): BalancerOptions {
  const { pools } = run(argv);
  assert.deepEqual(pools.map(({ name }) => name), ['default']);
  return pools[0].options;
}

function refused(argv: string[], message: RegExp): void {
  assert.throws(() => parseArgs(argv), (error: Error) => {
    assert.ok(error instanceof ConfigError, `${error.name}: a user's mistake, told as such`);
    assert.match(error.message, message);
    return true;
  });
}

describe('command-line arguments', () => {
  describe('accepted', () => {
    it('the Go original\'s form: -f PORT and one -p per backend', () => {
      const balancer = pool('-f 8080 -p 8101 -p 8102 -p 8103');
      assert.equal(balancer.port, 8080);
      assert.equal(balancer.host, undefined, 'the engine default, 127.0.0.1, applies');
      assert.deepEqual(balancer.backends.map((b) => `${b.host}:${b.port}`), ['127.0.0.1:8101', '127.0.0.1:8102', '127.0.0.1:8103']);
    });

    it('long forms, = values and comma-separated backends', () => {
      const balancer = pool('--frontend=8080 --backend 8101,localhost:8102 --backend=[::1]:8103');
      assert.deepEqual(balancer.backends.map((b) => `${b.host}:${b.port}`), ['127.0.0.1:8101', '127.0.0.1:8102', '::1:8103']);
    });

    it('a backend\'s weight after =: PORT=WEIGHT and HOST:PORT=WEIGHT', () => {
      const balancer = pool('-f 8080 -p 8101=3,localhost:8102=1 -p 8103');
      assert.deepEqual(balancer.backends.map((b) => b.weight), [3, 1, undefined]);
    });

    it('export TARGET takes the options of a run', () => {
      const command = parseArgs(['export', 'nginx', '-f', '8080', '-p', '8101=2', '--strategy', 'source-hash']);
      assert.equal(command.kind, 'export');
      assert.deepEqual(command.kind === 'export' && [command.target, command.options.pools[0].options.strategy, command.options.pools[0].options.backends[0].weight], ['nginx', 'source-hash', 2]);
    });

    it('Go-style single-dash long flags and double-dash short ones', () => {
      const balancer = pool('-frontend 8080 --p 8101');
      assert.deepEqual([balancer.port, balancer.backends[0].port], [8080, 8101]);
    });

    it('defaults: round robin, tcp checks every 2 s, 2 s connect timeout, no idle timeout, 5 s drain', () => {
      const options = run('-f 8080 -p 8101');
      assert.deepEqual(
        [options.pools[0].options.strategy, options.pools[0].options.health, options.pools[0].options.connectTimeoutMs, options.pools[0].options.idleTimeoutMs, options.pools[0].options.maxConnections, options.drainMs, options.quiet],
        ['round-robin', { type: 'tcp' }, 2000, 0, 0, 5000, false],
      );
    });

    it('every option', () => {
      const options = run(
        '-f 0 --host 127.0.0.2 -p 8101 --strategy least-connections --health http:/healthz --health-interval 500ms ' +
          '--connect-timeout 1.5s --idle-timeout 1m --drain-timeout 0 --admin 9100 --quiet --max-connections 100 --workers 2 --data-path sockets ' +
          '--mode http --sticky --request-timeout 5s --response-timeout 30s',
      );
      assert.deepEqual(options, {
        pools: [{ name: 'default', options: {
          host: '127.0.0.2',
          port: 0,
          backends: [{ host: '127.0.0.1', port: 8101 }],
          strategy: 'least-connections',
          health: { type: 'http', path: '/healthz', intervalMs: 500, timeoutMs: 500 },
          connectTimeoutMs: 1500,
          idleTimeoutMs: 60_000,
          maxConnections: 100,
          dataPath: 'sockets',
          mode: 'http',
          sticky: true,
          requestTimeoutMs: 5000,
          responseTimeoutMs: 30_000,
        } }],
        drainMs: 0,
        admin: { host: '127.0.0.1', port: 9100 },
        quiet: true,
        workers: 2,
        launches: [],
      });
    });

    it('one process unless told: --workers auto means one per core', () => {
      assert.deepEqual([run('-f 8080 -p 8101').workers, run('-f 8080 -p 8101 --workers auto').workers], [1, availableParallelism()]);
    });

    it('TCP mode unless told, as the Go program; HTTP mode waits 10 s for a request head and 60 s for an answer', () => {
      const { mode, sticky, requestTimeoutMs, responseTimeoutMs } = pool('-f 8080 -p 8101');
      assert.deepEqual([mode, sticky, requestTimeoutMs, responseTimeoutMs], ['tcp', false, 10_000, 60_000]);
    });

    it('the data path is chosen automatically unless told', () => {
      assert.equal(pool('-f 8080 -p 8101').dataPath, 'auto');
    });

    it('--health off turns checks off', () => {
      assert.equal(pool('-f 8080 -p 8101 --health off').health, false);
    });

    it('--help and --version win over everything else', () => {
      assert.deepEqual(parseArgs(['-f', 'nonsense', '--help']), { kind: 'help' });
      assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
    });
  });

  describe('refused, with a message naming the bad value', () => {
    for (const weight of ['0', '257', 'x', '1.5', '']) {
      it(`weight ${JSON.stringify(weight)}`, () => {
        refused(['-f', '8080', '-p', `8101=${weight}`], new RegExp(`^Invalid weight ${escape(JSON.stringify(weight))}`));
      });
    }

    it('an export target that does not exist, or none', () => {
      refused(['export', 'traefik', '-f', '8080', '-p', '8101'], /^Unknown export target "traefik": expected one of haproxy, nginx, envoy, kubernetes\.$/);
      refused(['export', '-f', '8080'], /^local-lb export needs a target first: haproxy, nginx, envoy, kubernetes\.$/);
    });

    const badPorts = ['0', '-1', '70000', 'abc', '0x1F90', '8080.0', '1e3', '', '08101', ' '];
    for (const port of badPorts) {
      it(`backend port ${JSON.stringify(port)}`, () => {
        refused(['-f', '8080', '-p', port], new RegExp(`Invalid backend( port)? ${escape(JSON.stringify(port.trim() === '' ? '' : port))}`));
      });
    }

    for (const port of ['-1', '70000', 'abc', '0x1F90', '8080.0', '1e3', '']) {
      it(`frontend port ${JSON.stringify(port)}`, () => {
        refused(['-f', port, '-p', '8101'], new RegExp(`Invalid frontend( port)? ${escape(JSON.stringify(port))}`));
      });
    }

    it('a backend host that is not a host name', () => refused(['-f', '8080', '-p', 'bad host:8101'], /Invalid backend host "bad host"/));
    it('a backend with an empty host', () => refused(['-f', '8080', '-p', ':8101'], /Invalid backend ":8101": the host before ":" is empty/));
    it('a duplicate backend', () => refused(['-f', '8080', '-p', '8101', '-p', '127.0.0.1:8101'], /Duplicate backend 127\.0\.0\.1:8101/));
    it('the frontend as its own backend', () => refused(['-f', '8080', '-p', '8080'], /Backend 127\.0\.0\.1:8080 is the frontend itself/));
    it('the frontend as its own backend on all interfaces', () =>
      refused(['-f', '8080', '--host', '0.0.0.0', '-p', '127.0.0.1:8080'], /Backend 127\.0\.0\.1:8080 is the frontend itself/));
    it('no backends', () => refused(['-f', '8080'], /No backends: give at least one -p PORT/));
    it('no frontend', () => refused(['-p', '8101'], /Missing the frontend port/));
    it('an unknown flag', () => refused(['-f', '8080', '-p', '8101', '--turbo'], /Unknown option "--turbo"/));
    it('a stray argument', () => refused(['-f', '8080', '-p', '8101', 'extra'], /Unexpected argument "extra"/));
    it('a flag without its value', () => refused(['-f', '8080', '-p'], /Option -p needs a value/));
    it('a single-valued flag given twice', () => refused(['-f', '8080', '-f', '8081', '-p', '8101'], /Option -f was given more than once/));
    it('a value given to a switch', () => refused(['-f', '8080', '-p', '8101', '--quiet=yes'], /Option --quiet takes no value/));
    it('an unknown strategy', () => refused(['-f', '8080', '-p', '8101', '--strategy', 'fastest'], /Unknown strategy "fastest": expected one of round-robin, least-connections, random/));
    it('an unknown health check', () => refused(['-f', '8080', '-p', '8101', '--health', 'ping'], /Invalid health check "ping"/));
    it('an http health check path without a slash', () => refused(['-f', '8080', '-p', '8101', '--health', 'http:health'], /Invalid health check "http:health": the path must start with "\/"/));
    it('a duration without a number', () => refused(['-f', '8080', '-p', '8101', '--connect-timeout', 'soon'], /Invalid connect timeout "soon"/));
    it('a zero connect timeout', () => refused(['-f', '8080', '-p', '8101', '--connect-timeout', '0'], /Invalid connect timeout "0": expected 50 ms to 1 min\./));
    it('a health check interval beyond the schema\'s range', () =>
      refused(['-f', '8080', '-p', '8101', '--health-interval', '11m'], /Invalid health check interval "11m": expected 10 ms to 10 min\./));
    it('a negative drain timeout', () => refused(['-f', '8080', '-p', '8101', '--drain-timeout', '-5s'], /Invalid drain timeout "-5s"/));
    it('a maximum number of connections that is not a whole number', () =>
      refused(['-f', '8080', '-p', '8101', '--max-connections', '1.5'], /Invalid maximum number of connections "1\.5"/));
    it('an admin address off loopback', () => refused(['-f', '8080', '-p', '8101', '--admin', '0.0.0.0:9100'], /Invalid admin address "0\.0\.0\.0:9100": it must be on loopback/));
    for (const workers of ['0', '65', 'two', '1.5', '-1', '']) {
      it(`number of workers ${JSON.stringify(workers)}`, () =>
        refused(['-f', '8080', '-p', '8101', '--workers', workers], new RegExp(`Invalid number of workers ${escape(JSON.stringify(workers))}: expected 1 to 64, or auto`)));
    }
    it('fewer connections allowed than workers', () =>
      refused(['-f', '8080', '-p', '8101', '--workers', '4', '--max-connections', '3'], /--max-connections 3 is fewer than --workers 4/));
    it('an unknown mode', () => refused(['-f', '8080', '-p', '8101', '--mode', 'udp'], /Unknown mode "udp": expected one of tcp, http/));
    it('sticky sessions without HTTP mode', () => refused(['-f', '8080', '-p', '8101', '--sticky'], /--sticky applies to HTTP mode: add --mode http/));
    it('a response timeout without HTTP mode', () => refused(['-f', '8080', '-p', '8101', '--response-timeout', '5s'], /--response-timeout applies to HTTP mode/));
    it('a request fault without HTTP mode', () => refused(['-f', '8080', '-p', '8101', '--fault', '8101:http_status'], /--fault http_status acts on requests: add --mode http/));
    it('a zero request timeout', () => refused(['-f', '8080', '-p', '8101', '--mode', 'http', '--request-timeout', '0'], /Invalid request timeout "0"/));
    it('a listening host given twice', () => refused(['-f', '127.0.0.1:8080', '--host', '127.0.0.2', '-p', '8101'], /Give the listening host once/));
  });

  describe('durations', () => {
    it('take ms, s and m, and bare numbers as seconds', () => {
      assert.deepEqual(['250ms', '2s', '1.5s', '1m', '3'].map((text) => parseDuration(text, NUMBER_RULES.drainMs)), [250, 2000, 1500, 60_000, 3000]);
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
