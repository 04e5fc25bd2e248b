import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { httpGet } from '../support/http';
import { Cleanup, exchange, namedBackend } from '../support/net';
import { start } from '../support/process';

const CLI = 'dist/cli.js';

describe('local-lb --fault', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('a latency fault slows the backend it names, says so at start, and /stats lists it', async () => {
    const [a, b] = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b')];
    const cli = start(cleanup, CLI, ['-f', '0', '-p', `${a.port},${b.port}`, '--admin', '0', '--quiet', '--health', 'off', '--fault', `${a.port}:latency,latency=300ms`]);
    const port = Number((await cli.waitFor(/Listening on 127\.0\.0\.1:(\d+)/))[1]);
    const admin = (await cli.waitFor(/Statistics on (http:\/\/127\.0\.0\.1:\d+)\/stats/))[1];
    assert.match(cli.output(), new RegExp(`Fault latency_downstream on 127\\.0\\.0\\.1:${a.port}: latency 300 ms ↓`));
    const timed = async (): Promise<[string, number]> => {
      const started = performance.now();
      const reply = await exchange(port, 'x');
      return [reply, performance.now() - started];
    };
    const [[slowReply, slowMs], [fastReply, fastMs]] = [await timed(), await timed()];
    assert.deepEqual([slowReply, fastReply], ['a:x', 'b:x']);
    assert.ok(slowMs >= 295 && fastMs < 295, `a after ${slowMs.toFixed(0)} ms, b after ${fastMs.toFixed(0)} ms`);
    const stats = JSON.parse((await httpGet(`${admin}/stats`)).body);
    assert.deepEqual(stats.backends[0].faults, [{ name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 0 } }]);
  });

  it('a bad fault exits 2 before anything listens, naming the bad part', async () => {
    const cli = start(cleanup, CLI, ['-f', '0', '-p', '8101', '--fault', '8101:latency,latency=-5']);
    assert.equal((await cli.exited).code, 2);
    assert.match(cli.output(), /Invalid --fault "8101:latency,latency=-5": invalid latency latency -5: expected at least 0 \(ms\)\./);
    assert.doesNotMatch(cli.output(), /Listening/);
  });
});
