// Stopping and starting the engine again and again while clients keep coming, as the extension's
// Restart does. In-process, so that its own descriptors can be counted.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { LoadBalancer } from '../../src/balancer';
import { Cleanup, delay, exchange, namedBackend, waitFor } from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';

const ownDescriptors = (): number => readdirSync('/proc/self/fd').length;

describeOnEachDataPath('faults: restarts', function (dataPath) {
  this.timeout(60_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('50 stops and starts under traffic: no EADDRINUSE, one health checker per backend, descriptors flat', async () => {
    /** When each connection reached the backend: after the traffic stops, only the health checks. */
    const arrivals: number[] = [];
    const backend = await namedBackend(cleanup, 'b');
    backend.server.on('connection', () => arrivals.push(performance.now()));
    const balancer = new LoadBalancer({ dataPath, port: 0, backends: [{ host: '127.0.0.1', port: backend.port }], health: { intervalMs: 20 } });
    cleanup.add(() => balancer.stop());
    const { port } = await balancer.start();
    balancer.configure({ port });
    const baseline = ownDescriptors();

    let traffic = true;
    let served = 0;
    const clients = Array.from({ length: 4 }, async () => {
      while (traffic) {
        // While stopped, connections are refused: that is expected and not counted.
        if ((await exchange(port, 'x').catch(() => '')) === 'b:x') served++;
      }
    });
    for (let i = 0; i < 50; i++) {
      await balancer.stop({ drainMs: 100 });
      await balancer.start();
      await delay(10);
    }
    traffic = false;
    await Promise.all(clients);
    assert.ok(served > 0, 'clients were served between restarts');

    // One checker starts its next check 20 ms after the last ended: checks come at least that far
    // apart on average. Two checkers would halve the gap, fifty leave almost none.
    const from = arrivals.length;
    await waitFor('20 more health checks', () => arrivals.length >= from + 21);
    const gaps = arrivals.slice(from + 1, from + 21).map((at, i) => at - arrivals[from + i]);
    const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    assert.ok(meanGap >= 18, `health checks ${meanGap.toFixed(1)} ms apart on average`);
    await waitFor('the descriptors back to where they were', () => ownDescriptors() <= baseline + 2);
  });
});
