import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadBalancer, sendTestRequests } from '../../src/balancer';
import { Cleanup, closedPort, startBalancer } from '../support/net';

describe('test requests', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function httpBackend(answer: string): Promise<number> {
    const server = createServer((_req, res) => res.end(`${answer}\n`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise((resolve) => server.close(resolve)));
    return (server.address() as AddressInfo).port;
  }

  it('each answer comes with the backend that served it', async () => {
    const ports = [await httpBackend('one'), await httpBackend('two')];
    const balancer = await startBalancer(cleanup, { backends: ports.map((port) => ({ host: '127.0.0.1', port })), health: false });
    const results = await sendTestRequests(balancer, 4);
    assert.deepEqual(
      results.map(({ backend, status, body }) => [backend, status, body]),
      [
        [`127.0.0.1:${ports[0]}`, 200, 'one'],
        [`127.0.0.1:${ports[1]}`, 200, 'two'],
        [`127.0.0.1:${ports[0]}`, 200, 'one'],
        [`127.0.0.1:${ports[1]}`, 200, 'two'],
      ],
    );
  });

  it('in HTTP mode they share one kept-alive connection, and each answer still comes with its backend', async () => {
    const ports = [await httpBackend('one'), await httpBackend('two')];
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: ports.map((port) => ({ host: '127.0.0.1', port })), health: false });
    const results = await sendTestRequests(balancer, 4);
    assert.deepEqual(
      results.map(({ backend, body }) => [backend, body]),
      [
        [`127.0.0.1:${ports[0]}`, 'one'],
        [`127.0.0.1:${ports[1]}`, 'two'],
        [`127.0.0.1:${ports[0]}`, 'one'],
        [`127.0.0.1:${ports[1]}`, 'two'],
      ],
    );
    assert.equal(balancer.snapshot().frontend.totalConnections, 1);
  });

  it('in HTTP mode a request cut off fails alone: the next ones go on, on a new connection; chunked answers are read whole', async () => {
    const chunked = createServer((_req, res) => {
      res.write('chun');
      res.end('ked\n');
    });
    await new Promise<void>((resolve) => chunked.listen(0, '127.0.0.1', resolve));
    cleanup.add(() => new Promise((resolve) => chunked.close(resolve)));
    const ports = [await httpBackend('aborted'), (chunked.address() as AddressInfo).port];
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: ports.map((port) => ({ host: '127.0.0.1', port })), health: false });
    balancer.addFault(String(ports[0]), { type: 'http_abort' });
    const results = await sendTestRequests(balancer, 4);
    assert.deepEqual(
      results.map(({ body, error }) => body ?? (error ? 'failed' : '')),
      ['failed', 'chunked', 'failed', 'chunked'],
    );
  });

  it('in HTTP mode a request no backend could take is answered 502, without a backend', async () => {
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: [{ host: '127.0.0.1', port: await closedPort() }], health: false });
    const [result] = await sendTestRequests(balancer, 1);
    assert.deepEqual([result.backend, result.status], [undefined, 502]);
    assert.match(result.body ?? '', /^502 Bad Gateway: all 1 backend\(s\) tried failed/);
  });

  it('a request no backend could take is reported as failed, without a backend', async () => {
    const balancer = await startBalancer(cleanup, { backends: [{ host: '127.0.0.1', port: await closedPort() }], health: false });
    const [result] = await sendTestRequests(balancer, 1);
    assert.equal(result.backend, undefined);
    assert.match(result.error ?? '', /socket hang up/);
  });

  it('a stopped balancer is refused with a clear message', async () => {
    const balancer = new LoadBalancer({ port: 0, backends: [] });
    await assert.rejects(sendTestRequests(balancer, 1), { message: 'The balancer is not running.' });
  });
});
