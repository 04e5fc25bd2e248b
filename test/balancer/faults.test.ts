import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Cleanup, delay, exchange, listen, namedBackend, open, portOf, readAll, startBalancer, waitFor } from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';
import { LoadBalancer, type DataPathName, type FaultSpec } from '../../src/balancer';

describeOnEachDataPath('faults on real connections', function (dataPath: DataPathName) {
  this.timeout(20_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function balancerOver(port: number): Promise<LoadBalancer> {
    return startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port }], health: false });
  }

  /** The frontend's port of a balancer over `backend` alone, whose connections get `fault`. */
  async function withFault(backend: { port: number }, fault: FaultSpec): Promise<number> {
    const balancer = await balancerOver(backend.port);
    balancer.addFault(String(backend.port), fault);
    return portOf(balancer);
  }

  /** A named backend that also notes when the client's bytes reached it. */
  async function stampedBackend(): Promise<{ port: number; receivedAt: () => number }> {
    let receivedAt = NaN;
    const backend = await listen(cleanup, (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => {
        receivedAt = performance.now();
        chunks.push(chunk);
      });
      socket.on('end', () => socket.end(`a:${Buffer.concat(chunks).toString()}`));
    });
    return { port: backend.port, receivedAt: () => receivedAt };
  }

  /** A backend that sends `size` bytes as soon as a client connects, then ends. */
  function sender(size: number) {
    const data = Buffer.alloc(size, 'x');
    return listen(cleanup, (socket) => socket.end(data));
  }

  async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
    const started = performance.now();
    const value = await work;
    return { value, ms: performance.now() - started };
  }

  /** Sends `payload` and ends; the answer, when it came, and when the backend got the bytes, in ms after sending. */
  async function exchangeTimed(port: number, backend: { receivedAt: () => number }, payload: string): Promise<{ answer: string; answeredMs: number; receivedMs: number }> {
    const started = performance.now();
    const answer = await exchange(port, payload);
    return { answer, answeredMs: performance.now() - started, receivedMs: backend.receivedAt() - started };
  }

  it('downstream latency delays the answer by its latency; the request reaches the backend at once', async () => {
    const backend = await stampedBackend();
    const port = await withFault(backend, { type: 'latency', attributes: { latency: 300 } });
    const { answer, answeredMs, receivedMs } = await exchangeTimed(port, backend, 'slow');
    assert.equal(answer, 'a:slow');
    assert.ok(receivedMs < 250 && answeredMs >= 295 && answeredMs < 3000, `received after ${receivedMs.toFixed(0)} ms, answered after ${answeredMs.toFixed(0)} ms`);
  });

  it('upstream latency delays what the client sends on its way to the backend', async () => {
    const backend = await stampedBackend();
    const port = await withFault(backend, { type: 'latency', stream: 'upstream', attributes: { latency: 300 } });
    const { answer, receivedMs } = await exchangeTimed(port, backend, 'up');
    assert.equal(answer, 'a:up');
    assert.ok(receivedMs >= 295 && receivedMs < 3000, `received after ${receivedMs.toFixed(0)} ms`);
  });

  it('bandwidth caps the rate: 100 KB at 200 KB/s take about half a second', async () => {
    const backend = await sender(100_000);
    const port = await withFault(backend, { type: 'bandwidth', attributes: { rate: 200 } });
    const { value, ms } = await timed(readAll(await open(port)));
    assert.equal(value.data.length, 100_000);
    assert.ok(ms >= 400 && ms <= 600, `took ${ms.toFixed(0)} ms for 500 expected`);
  });

  it('limit_data closes the connection once its bytes have passed, and no more pass', async () => {
    const backend = await sender(100_000);
    const port = await withFault(backend, { type: 'limit_data', attributes: { bytes: 1000 } });
    const reply = await readAll(await open(port));
    assert.equal(reply.data.length, 1000);
  });

  it('reset_peer resets the client at its first data instead of answering', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const port = await withFault(backend, { type: 'reset_peer' });
    const client = await open(port);
    const reply = readAll(client);
    client.end('hello');
    const { data, ended, error } = await reply;
    assert.deepEqual([data.length, ended, error?.code], [0, false, 'ECONNRESET']);
  });

  it('timeout lets nothing through and closes the connection when due', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const port = await withFault(backend, { type: 'timeout', attributes: { timeout: 300 } });
    const { value, ms } = await timed(exchange(port, 'anyone?'));
    assert.equal(value, '');
    assert.ok(ms >= 295 && ms < 3000, `closed after ${ms.toFixed(0)} ms`);
  });

  it('slicer cuts the answer into small pieces, bytes intact', async () => {
    const backend = await sender(20_000);
    const port = await withFault(backend, { type: 'slicer', attributes: { average_size: 100, size_variation: 50, delay: 2000 } });
    const client = await open(port);
    let reads = 0;
    client.on('data', () => reads++);
    const reply = await readAll(client);
    assert.ok(reply.data.equals(Buffer.alloc(20_000, 'x')));
    assert.ok(reads > 20, `${reads} reads`);
  });

  it('slow_close passes the end its delay after the last byte', async () => {
    const backend = await sender(10);
    const port = await withFault(backend, { type: 'slow_close', attributes: { delay: 300 } });
    const client = await open(port);
    const started = performance.now();
    let dataAt = 0;
    client.once('data', () => (dataAt = performance.now() - started));
    const reply = await readAll(client);
    const endAt = performance.now() - started;
    assert.deepEqual([reply.data.length, reply.ended], [10, true]);
    assert.ok(endAt - dataAt >= 290, `data at ${dataAt.toFixed(0)} ms, end at ${endAt.toFixed(0)} ms`);
  });

  it('toxicity applies a fault to about that share of connections', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const port = await withFault(backend, { type: 'reset_peer', toxicity: 0.5 });
    let reset = 0;
    for (let i = 0; i < 200; i++) if ((await exchange(port, 'x')) === '') reset++;
    assert.ok(reset >= 70 && reset <= 130, `${reset} of 200 reset`);
  });

  it('a fault added reaches the connections already open, as toxiproxy\'s toxics do; removed, it is lifted from them at once', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const balancer = await balancerOver(backend.port);
    const port = portOf(balancer);
    const open1 = await open(port);
    await waitFor('the connection through to the backend', () => backend.accepted === 1);
    const fault = balancer.addFault(`127.0.0.1:${backend.port}`, { type: 'latency', attributes: { latency: 60_000 } });
    let answered = false;
    const reply = readAll(open1).then((value) => ((answered = true), value));
    open1.end('open');
    await delay(300);
    assert.equal(answered, false, 'its answer is held by the latency added while it was open');
    balancer.removeFault(String(backend.port), fault.name);
    const { value, ms } = await timed(reply);
    assert.equal(value.data.toString(), 'a:open');
    assert.ok(ms < 2000, `released after ${ms.toFixed(0)} ms`);
  });

  it('a reset_peer added while a connection is open resets it at its next bytes', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const balancer = await balancerOver(backend.port);
    const client = await open(balancer.address()?.port ?? 0);
    await waitFor('the connection through to the backend', () => backend.accepted === 1);
    balancer.addFault(`127.0.0.1:${backend.port}`, { type: 'reset_peer', stream: 'upstream' });
    const reply = readAll(client);
    client.write('after the fault');
    assert.equal((await reply).error?.code, 'ECONNRESET');
  });

  it('an open connection gets a fault added by its toxicity: none at 0', async () => {
    const backend = await namedBackend(cleanup, 'a');
    const balancer = await balancerOver(backend.port);
    const client = await open(portOf(balancer));
    await waitFor('the connection through to the backend', () => backend.accepted === 1);
    balancer.addFault(`127.0.0.1:${backend.port}`, { type: 'reset_peer', toxicity: 0 });
    const reply = readAll(client);
    client.end('spared');
    assert.equal((await reply).data.toString(), 'a:spared');
  });

  it('the snapshot lists a backend\'s faults; a backend without faults is not touched', async () => {
    const [a, b] = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b')];
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: a.port }, { host: '127.0.0.1', port: b.port }], health: false });
    const port = portOf(balancer);
    balancer.addFault(String(a.port), { type: 'timeout', attributes: { timeout: 0 }, name: 'hang' });
    const [first, second] = balancer.snapshot().backends;
    assert.deepEqual(first.faults?.map((fault) => fault.name), ['hang']);
    assert.equal(second.faults, undefined);
    const replies = [];
    for (let i = 0; i < 2; i++) {
      const client = await open(port);
      replies.push(readAll(client));
      client.end(String(i));
    }
    await waitFor('b to answer', () => b.accepted === 1);
    assert.equal((await replies[1]).data.toString(), 'b:1');
    balancer.clearFaults();
    // What the fault dropped stays dropped; the held connection gets its end.
    assert.deepEqual(await replies[0], { data: Buffer.alloc(0), ended: true, error: undefined });
  });

  it('a fault for an unknown backend, or removing one that is not there, is refused by name', () => {
    const balancer = new LoadBalancer({ dataPath, port: 0, backends: [{ host: '127.0.0.1', port: 8101 }] });
    assert.throws(() => balancer.addFault('9999', { type: 'reset_peer' }), { message: 'Unknown backend "9999".' });
    assert.throws(() => balancer.removeFault('8101', 'nope'), { message: 'Backend 127.0.0.1:8101 has no fault named "nope".' });
  });
});
