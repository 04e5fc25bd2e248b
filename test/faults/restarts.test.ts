// Stopping and starting the engine again and again while clients keep coming, as the extension's
// Restart does. In-process, so that its own descriptors can be counted.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { LoadBalancer } from '../../src/balancer';
import { Cleanup, delay, exchange, namedBackend } from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';

const ownDescriptors = (): number => readdirSync('/proc/self/fd').length;

describeOnEachDataPath('faults: restarts', function (dataPath) {
  this.timeout(60_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('50 stops and starts under traffic: no EADDRINUSE, one health checker per backend, descriptors flat', async () => {
    let checks = 0;
    const backend = await namedBackend(cleanup, 'b');
    backend.server.on('connection', () => checks++);
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

    // One checker every 20 ms: about 25 checks in half a second, not 50 times that.
    await delay(100);
    const before = checks;
    await delay(500);
    const perHalfSecond = checks - before;
    assert.ok(perHalfSecond >= 10 && perHalfSecond <= 40, `${perHalfSecond} checks in 500 ms`);
    await delay(200);
    assert.ok(ownDescriptors() <= baseline + 2, `${ownDescriptors()} descriptors, ${baseline} before`);
  });
});
