// Faults under load on the `local-lb` process: backpressure holds through them, memory stays bounded.
import assert from 'node:assert/strict';
import { Cleanup, listen, open, receiveHash, sendRandom } from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';
import { startBalancerProcess } from './balancerProcess';

const MiB = 1024 * 1024;

describeOnEachDataPath('faults: under load', function (dataPath) {
  this.timeout(120_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('100 MB through a bandwidth fault arrive intact, paced, with the process\'s memory bounded', async function () {
    const SIZE = 100 * MiB;
    let sent!: Promise<string>;
    const backend = await listen(cleanup, (socket) => {
      sent = sendRandom(socket, SIZE);
    });
    // 50,000 KB/s: the 100 MB take about two seconds, far slower than loopback would carry them.
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(backend.port), '--health', 'off', '--fault', `${backend.port}:bandwidth,rate=50000`]);
    const before = lb.rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, lb.rss())), 50);
    const started = Date.now();
    try {
      const client = await open(lb.port);
      const received = await receiveHash(client);
      client.destroy();
      assert.deepEqual(received, { digest: await sent, bytes: SIZE });
    } finally {
      clearInterval(sampler);
    }
    const seconds = (Date.now() - started) / 1000;
    this.test!.title += ` (measured: ${seconds.toFixed(1)} s, the process grew by ${((peak - before) / MiB).toFixed(1)} MiB at most)`;
    assert.ok(seconds >= 1.6, `took ${seconds.toFixed(1)} s: the fault did not pace it`);
    assert.ok(peak - before < 48 * MiB, `the process grew by ${((peak - before) / MiB).toFixed(0)} MiB while carrying 100 MB`);
  });
});
