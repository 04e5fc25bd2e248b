import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Backend } from '../../src/balancer/backend';
import type { HealthChange } from '../../src/balancer';
import { Cleanup, exchange, namedBackend, portOf, startBalancer, waitFor } from '../support/net';

const check = (ok: boolean) => ({ ok, at: Date.now(), latencyMs: 1, ...(ok ? {} : { error: 'refused' }) });

describe('health', () => {
  describe('rise and fall hysteresis', () => {
    const RISE = 2;
    const FALL = 3;

    it('the first check decides a backend whose health is unknown', () => {
      const up = new Backend({ host: '127.0.0.1', port: 1 });
      const down = new Backend({ host: '127.0.0.1', port: 2 });
      assert.equal(up.recordCheck(check(true), RISE, FALL), 'up');
      assert.equal(down.recordCheck(check(false), RISE, FALL), 'down');
    });

    it('an up backend goes down only after `fall` failures in a row', () => {
      const backend = new Backend({ host: '127.0.0.1', port: 1 });
      backend.recordCheck(check(true), RISE, FALL);
      const states = [false, false, true, false, false, false].map((ok) => {
        backend.recordCheck(check(ok), RISE, FALL);
        return backend.health;
      });
      assert.deepEqual(states, ['up', 'up', 'up', 'up', 'up', 'down']);
    });

    it('a down backend comes up only after `rise` successes in a row', () => {
      const backend = new Backend({ host: '127.0.0.1', port: 1 });
      backend.recordCheck(check(false), RISE, FALL);
      const states = [true, false, true, true].map((ok) => {
        backend.recordCheck(check(ok), RISE, FALL);
        return backend.health;
      });
      assert.deepEqual(states, ['down', 'down', 'down', 'up']);
    });
  });

  describe('active checks', () => {
    const cleanup = new Cleanup();
    afterEach(() => cleanup.run());

    const fast = { intervalMs: 30, timeoutMs: 200, rise: 2, fall: 3 };

    it('a backend whose checks fail goes down and gets no traffic', async () => {
      const flaky = await namedBackend(cleanup, 'flaky');
      const steady = await namedBackend(cleanup, 'steady');
      const balancer = await startBalancer(cleanup, {
        backends: [{ host: '127.0.0.1', port: flaky.port }, { host: '127.0.0.1', port: steady.port }],
        health: fast,
      });
      await waitFor('both up', () => balancer.snapshot().backends.every((backend) => backend.state === 'up'));
      const changes: HealthChange[] = [];
      balancer.on('stateChanged', (change) => changes.push(change));
      await flaky.close();
      await waitFor('flaky down', () => balancer.snapshot().backends[0].state === 'down');
      assert.deepEqual(
        changes.map(({ from, to }) => `${from}→${to}`),
        ['up→down'],
      );
      const answers = new Set([await exchange(portOf(balancer)), await exchange(portOf(balancer)), await exchange(portOf(balancer))]);
      assert.deepEqual([...answers], ['steady:']);
      assert.equal(balancer.snapshot().backends[0].connectFailures, 0, 'no client was sent to try it');
    });

    it('a down backend that comes back is up again after `rise` good checks', async () => {
      const backend = await namedBackend(cleanup, 'phoenix');
      const port = backend.port;
      const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port }], health: fast });
      await waitFor('up', () => balancer.snapshot().backends[0].state === 'up');
      await backend.close();
      await waitFor('down', () => balancer.snapshot().backends[0].state === 'down');
      await namedBackend(cleanup, 'phoenix', port);
      await waitFor('up again', () => balancer.snapshot().backends[0].state === 'up');
      assert.equal(await exchange(portOf(balancer), 'back'), 'phoenix:back');
      const last = balancer.snapshot().backends[0].lastCheck;
      assert.equal(last?.ok, true);
      assert.ok((last?.latencyMs ?? -1) >= 0);
    });

    it('traffic is allowed while health is still unknown', async () => {
      const backend = await namedBackend(cleanup, 'new');
      const balancer = await startBalancer(cleanup, {
        backends: [{ host: '127.0.0.1', port: backend.port }],
        // The first check cannot finish before the request: the interval does not matter, the timeout is long.
        health: { type: 'http', intervalMs: 60_000, timeoutMs: 60_000 },
      });
      assert.equal(balancer.snapshot().backends[0].state, 'unknown');
      assert.equal(await exchange(portOf(balancer), 'early'), 'new:early');
    });

    describe('http checks', () => {
      async function httpBackend(status: () => number): Promise<{ port: number; paths: string[] }> {
        const paths: string[] = [];
        const server: Server = createServer((req, res) => {
          paths.push(req.url ?? '');
          res.writeHead(status()).end();
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        cleanup.add(() => new Promise((resolve) => server.close(resolve)));
        return { port: (server.address() as AddressInfo).port, paths };
      }

      it('an answer of 2xx or 3xx to GET of the path counts as up', async () => {
        const backend = await httpBackend(() => 302);
        const balancer = await startBalancer(cleanup, {
          backends: [{ host: '127.0.0.1', port: backend.port }],
          health: { ...fast, type: 'http', path: '/healthz' },
        });
        await waitFor('up', () => balancer.snapshot().backends[0].state === 'up');
        assert.equal(backend.paths[0], '/healthz');
      });

      it('an answer of 5xx counts as down, with the status as the reason', async () => {
        const backend = await httpBackend(() => 503);
        const balancer = await startBalancer(cleanup, {
          backends: [{ host: '127.0.0.1', port: backend.port }],
          health: { ...fast, type: 'http', path: '/healthz' },
        });
        await waitFor('down', () => balancer.snapshot().backends[0].state === 'down');
        assert.equal(balancer.snapshot().backends[0].lastCheck?.error, 'HTTP 503 from /healthz');
      });
    });

    it('each health change is logged with its reason', async () => {
      const backend = await namedBackend(cleanup, 'x');
      const lines: string[] = [];
      const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: backend.port }], health: fast });
      balancer.on('log', (entry) => lines.push(`${entry.level} ${entry.message}`));
      await waitFor('up', () => balancer.snapshot().backends[0].state === 'up');
      await backend.close();
      await waitFor('down', () => balancer.snapshot().backends[0].state === 'down');
      const id = `127.0.0.1:${backend.port}`;
      assert.match(lines.join('\n'), new RegExp(`info Backend ${id} is up \\(check passed in [\\d.]+ ms\\)`));
      assert.match(lines.join('\n'), new RegExp(`warn Backend ${id} is down \\(connect ECONNREFUSED ${id}\\)`));
    });
  });
});
