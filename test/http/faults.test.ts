// Faults in HTTP mode: request faults (http_status, http_abort) drawn per request, and the
// connection faults on the backend's connections.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Cleanup, HOST, portOf, startBalancer } from '../support/net';
import { fetchFrom, httpBackend, keepAliveClient, type HttpBackend } from '../support/httpServers';
import { LoadBalancer } from '../../src/balancer';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('HTTP mode: faults', function (dataPath) {
  this.timeout(20_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function balancerOver(backends: HttpBackend[]): Promise<LoadBalancer> {
    return startBalancer(cleanup, { dataPath, mode: 'http', backends: backends.map(({ port }) => ({ host: HOST, port })), health: false });
  }

  it('http_status answers for the backend, naming the fault, without contacting it; the connection goes on', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await balancerOver([backend]);
    balancer.addFault(String(backend.port), { type: 'http_status' });
    const agent = keepAliveClient(cleanup);
    const answers = [await fetchFrom(portOf(balancer), { agent }), await fetchFrom(portOf(balancer), { agent })];
    assert.deepEqual(answers.map((answer) => answer.status), [503, 503]);
    assert.equal(answers[0].text, `503 Service Unavailable: fault http_status on 127.0.0.1:${backend.port}\n`);
    assert.equal(backend.requests.length, 0);
    assert.equal(balancer.snapshot().backends[0].requests?.answers['5xx'], 2);
  });

  it('http_status with a toxicity applies to about that share of requests, drawn per request', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await balancerOver([backend]);
    balancer.addFault(String(backend.port), { type: 'http_status', toxicity: 0.5, attributes: { status: 500 } });
    const agent = keepAliveClient(cleanup);
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await fetchFrom(portOf(balancer), { agent })).status);
    const failed = statuses.filter((status) => status === 500).length;
    assert.ok(failed > 50 && failed < 150, `${failed} of 200 failed`);
    assert.equal(backend.requests.length, 200 - failed);
  });

  it('http_abort resets the client instead of answering', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await balancerOver([backend]);
    balancer.addFault(String(backend.port), { type: 'http_abort' });
    await assert.rejects(fetchFrom(portOf(balancer)), /ECONNRESET|socket hang up/);
    assert.equal(backend.requests.length, 0);
  });

  it('a request fault is refused in TCP mode, saying it needs HTTP mode', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { backends: [{ host: HOST, port: backend.port }], health: false });
    assert.throws(() => balancer.addFault(String(backend.port), { type: 'http_status' }), /http_status fault acts on requests: it needs HTTP mode/);
  });

  it('a request fault added in HTTP mode is dormant once the balancer serves TCP mode, and acts again back in HTTP mode', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await balancerOver([backend]);
    balancer.addFault(String(backend.port), { type: 'http_status', name: 'errors' });
    const restartIn = async (mode: 'tcp' | 'http'): Promise<void> => {
      balancer.configure({ mode });
      await balancer.stop();
      await balancer.start();
    };
    await restartIn('tcp');
    assert.deepEqual(balancer.snapshot().backends[0].faults?.map((fault) => [fault.name, fault.dormant]), [['errors', true]]);
    await restartIn('http');
    assert.deepEqual(balancer.snapshot().backends[0].faults?.map((fault) => [fault.name, fault.dormant]), [['errors', undefined]]);
    assert.equal((await fetchFrom(portOf(balancer))).status, 503);
  });

  it('a latency fault delays the answers of a kept-alive client, kept connections included', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await balancerOver([backend]);
    const agent = keepAliveClient(cleanup);
    await fetchFrom(portOf(balancer), { agent });
    balancer.addFault(String(backend.port), { type: 'latency', attributes: { latency: 300 } });
    const started = performance.now();
    assert.equal((await fetchFrom(portOf(balancer), { agent })).text, 'a GET /');
    const ms = performance.now() - started;
    assert.ok(ms >= 290 && ms < 1500, `${ms} ms`);
    balancer.removeFault(String(backend.port), 'latency_downstream');
    const again = performance.now();
    await fetchFrom(portOf(balancer), { agent });
    assert.ok(performance.now() - again < 250, 'lifted from the kept connection');
  });

  it('a latency fault delays the answers of a backend that closes each connection after its answer, as Flask does', async () => {
    const backend = await httpBackend(cleanup, 'a', (_req, res) => {
      res.setHeader('Connection', 'close');
      res.end('whole answer');
    });
    const balancer = await balancerOver([backend]);
    balancer.addFault(String(backend.port), { type: 'latency', attributes: { latency: 200 } });
    const agent = keepAliveClient(cleanup);
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      const answer = await fetchFrom(portOf(balancer), { agent });
      const ms = performance.now() - started;
      assert.equal(answer.text, 'whole answer');
      assert.ok(ms >= 190 && ms < 1500, `${ms} ms`);
    }
    assert.equal(backend.connections, 2);
  });

  it('a reset_peer fault resets the client of a request', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await balancerOver([backend]);
    balancer.addFault(String(backend.port), { type: 'reset_peer' });
    await assert.rejects(fetchFrom(portOf(balancer)), /ECONNRESET|socket hang up/);
  });
});
