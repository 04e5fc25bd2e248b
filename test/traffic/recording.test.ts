// What the traffic panel is given, from a balancer serving real sockets: per-second counts that add
// up to what was sent, times to the first byte or answer, and each connection's or request's row.
import assert from 'node:assert/strict';
import { toUpdate, type LoadBalancer, type TrafficEntry } from '../../src/balancer';
import { describeOnEachDataPath } from '../support/dataPaths';
import { fetchFrom, httpBackend } from '../support/httpServers';
import { Cleanup, closedPort, echoBackend, exchange, HOST, listen, open, readAll, startBalancer, waitFor } from '../support/net';

/** Entries once `count` have ended. */
async function entries(balancer: LoadBalancer, count: number): Promise<TrafficEntry[]> {
  await waitFor(`${count} entries`, () => balancer.traffic.read({ second: 0, seq: 0 }).entries.length >= count);
  return balancer.traffic.read().entries;
}

/** Requests or connections counted per backend, over the seconds kept, once the current second is whole. */
async function countsOf(balancer: LoadBalancer): Promise<number[]> {
  const second = Math.floor(Date.now() / 1000);
  await waitFor('the second to end', () => Math.floor(Date.now() / 1000) > second, 2000);
  return balancer.traffic.read().backends.map((backend) => backend.counts.reduce((sum, n) => sum + n, 0));
}

/** The first backend's p50 times to the first byte and to connect, over the seconds that had any, once the current one is whole. */
async function lastWholeSecond(balancer: LoadBalancer): Promise<{ p50: number | null; connect: number | null }> {
  const second = Math.floor(Date.now() / 1000);
  await waitFor('the second to end', () => Math.floor(Date.now() / 1000) > second, 2000);
  const [backend] = toUpdate(balancer.traffic.read()).backends;
  const last = (values: Array<number | null> = []): number | null => [...values].reverse().find((value) => value !== null) ?? null;
  return { p50: last(backend.p50), connect: last(backend.connect?.p50) };
}

describeOnEachDataPath('traffic record, TCP mode', function (dataPath) {
  this.timeout(15_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('connections are counted per backend and second, with their rows and times to the first byte', async () => {
    const backends = [await echoBackend(cleanup), await echoBackend(cleanup)];
    const balancer = await startBalancer(cleanup, { dataPath, backends: backends.map(({ port }) => ({ host: HOST, port })), health: false });
    cleanup.add(balancer.traffic.watch());
    for (let i = 0; i < 6; i++) assert.equal(await exchange(balancer.address()!.port, 'hello'), 'hello');
    assert.deepEqual(await countsOf(balancer), [3, 3]);
    const rows = await entries(balancer, 6);
    assert.deepEqual(rows.map((row) => [row.outcome, row.bytesIn, row.bytesOut]), Array(6).fill(['answered', 5, 5]));
    assert.deepEqual(new Set(rows.map((row) => row.backend)), new Set(backends.map(({ port }) => `${HOST}:${port}`)));
    const { firstByteMs, connectMs } = balancer.snapshot().backends[0];
    assert.ok(firstByteMs && connectMs && firstByteMs.p50 >= connectMs.p50, JSON.stringify({ firstByteMs, connectMs }));
  });

  it('a connection that went to another backend after a refusal is "failed over"; one no backend took is "refused"', async () => {
    const good = await echoBackend(cleanup);
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: HOST, port: await closedPort() }, { host: HOST, port: good.port }], health: false });
    cleanup.add(balancer.traffic.watch());
    assert.equal(await exchange(balancer.address()!.port, 'x'), 'x');
    balancer.setEnabled(`${HOST}:${good.port}`, false);
    await exchange(balancer.address()!.port, 'y');
    const rows = await entries(balancer, 2);
    assert.deepEqual(rows.map((row) => row.outcome), ['failed over', 'refused']);
    assert.equal(rows[1].backend, undefined);
  });

  it('a connection the backend resets is "reset" and a failure of that backend; one cut for idleness is "timed out"', async () => {
    const rude = await listen(cleanup, (socket) => socket.once('data', () => socket.resetAndDestroy()));
    const silent = await listen(cleanup, () => undefined);
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: HOST, port: rude.port }, { host: HOST, port: silent.port }], health: false, idleTimeoutMs: 300 });
    cleanup.add(balancer.traffic.watch());
    for (let i = 0; i < 2; i++) {
      const socket = await open(balancer.address()!.port);
      const reply = readAll(socket);
      socket.write('hi');
      await reply;
    }
    const rows = await entries(balancer, 2);
    assert.deepEqual(rows.map((row) => row.outcome), ['reset', 'timed out']);
    const second = Math.floor(Date.now() / 1000);
    await waitFor('the second to end', () => Math.floor(Date.now() / 1000) > second, 2000);
    const failures = balancer.traffic.read().backends.map((backend) => backend.failures.reduce((sum, n) => sum + n, 0));
    assert.deepEqual(failures, [1, 0]);
  });

  it('the first byte is timed as it reaches the client, in its second: the connection may stay open', async () => {
    const backend = await echoBackend(cleanup);
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: HOST, port: backend.port }], health: false });
    const socket = await open(balancer.address()!.port);
    cleanup.add(() => socket.destroy());
    const echoed = new Promise((resolve) => socket.once('data', resolve));
    socket.write('hi');
    await echoed;
    const { p50, connect } = await lastWholeSecond(balancer);
    assert.ok(p50 !== null && p50 < 100, `time to the first byte: ${p50}`);
    assert.ok(connect !== null && connect <= p50, `time to connect: ${connect}`);
  });

  it('a latency fault on the replies is in the time to the first byte, as the client gets it; not in the time to connect', async () => {
    const backend = await echoBackend(cleanup);
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: HOST, port: backend.port }], health: false });
    balancer.addFault(`${backend.port}`, { type: 'latency', stream: 'downstream', attributes: { latency: 300 } });
    await exchange(balancer.address()!.port, 'x');
    const { p50, connect } = await lastWholeSecond(balancer);
    assert.ok(p50 !== null && p50 >= 300, `time to the first byte: ${p50}`);
    assert.ok(connect !== null && connect < 100, `time to connect: ${connect}`);
    assert.ok(balancer.snapshot().backends[0].firstByteMs!.p50 >= 300, '/stats says the same');
  });

  it('a connection that passed a fault says so', async () => {
    const backend = await echoBackend(cleanup);
    const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: HOST, port: backend.port }], health: false });
    balancer.addFault(`${backend.port}`, { type: 'latency', attributes: { latency: 10 } });
    cleanup.add(balancer.traffic.watch());
    await exchange(balancer.address()!.port, 'x');
    assert.equal((await entries(balancer, 1))[0].outcome, 'fault');
  });
});

describe('traffic record, HTTP mode', function () {
  this.timeout(15_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('requests are counted per backend and second, each with its method, path, status and bytes', async () => {
    const backends = [await httpBackend(cleanup, 'a'), await httpBackend(cleanup, 'b'), await httpBackend(cleanup, 'c')];
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: backends.map(({ port }) => ({ host: HOST, port })), health: false });
    cleanup.add(balancer.traffic.watch());
    for (let i = 0; i < 9; i++) await fetchFrom(balancer.address()!.port, { method: 'POST', path: `/cart/${i}`, body: 'abc' });
    assert.deepEqual(await countsOf(balancer), [3, 3, 3]);
    const rows = await entries(balancer, 9);
    assert.deepEqual(rows.map((row) => row.path), Array.from({ length: 9 }, (_, i) => `/cart/${i}`));
    const [first] = rows;
    assert.deepEqual([first.method, first.status, first.outcome, first.backend], ['POST', 200, 'answered', `${HOST}:${backends[0].port}`]);
    assert.ok(first.bytesIn > 3 && first.bytesOut > 'a POST /cart/0'.length, JSON.stringify(first));
    const update = balancer.traffic.read();
    assert.ok(update.backends[0].latency.some((sparse) => sparse.length > 0), 'the answers were timed');
    assert.equal(update.mode, 'http');
  });

  it('a request carried by a connection that got a fault (latency) is "fault"', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: [{ host: HOST, port: backend.port }], health: false });
    balancer.addFault(`${backend.port}`, { type: 'latency', attributes: { latency: 20 } });
    cleanup.add(balancer.traffic.watch());
    assert.equal((await fetchFrom(balancer.address()!.port)).status, 200);
    assert.deepEqual((await entries(balancer, 1)).map((row) => [row.status, row.outcome]), [[200, 'fault']]);
  });

  it('a request answered at its head is a row with its status and no backend: "refused" when malformed or CONNECT, "timed out" when too slow', async () => {
    const backend = await httpBackend(cleanup, 'a');
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: [{ host: HOST, port: backend.port }], health: false, requestTimeoutMs: 200 });
    cleanup.add(balancer.traffic.watch());
    const port = balancer.address()!.port;
    assert.match(await exchange(port, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400 /);
    assert.match(await exchange(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n'), /^HTTP\/1\.1 501 /);
    const slow = await open(port);
    const answer = readAll(slow);
    slow.write('GET / HTTP/1.1\r\n');
    assert.match((await answer).data.toString(), /^HTTP\/1\.1 408 /);
    const rows = await entries(balancer, 3);
    assert.deepEqual(
      rows.map((row) => [row.method, row.path, row.status, row.outcome, row.backend]),
      [['', '', 400, 'refused', undefined], ['CONNECT', 'example.com:443', 501, 'refused', undefined], ['', '', 408, 'timed out', undefined]],
    );
    assert.deepEqual(rows.map((row) => row.bytesIn), [11, 55, 16]);
    assert.ok(rows.every((row) => row.bytesOut > 'HTTP/1.1 400 '.length), JSON.stringify(rows));
    assert.equal(rows[2].durationMs, 200);
    assert.equal(backend.connections, 0);
  });

  it('a 504 is "timed out", a 502 no backend took is "refused", a fault\'s answer is "fault"', async () => {
    const slow = await httpBackend(cleanup, 'slow', () => undefined);
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: [{ host: HOST, port: slow.port }], health: false, responseTimeoutMs: 200 });
    cleanup.add(balancer.traffic.watch());
    const port = balancer.address()!.port;
    assert.equal((await fetchFrom(port)).status, 504);
    balancer.addFault(`${slow.port}`, { type: 'http_status', attributes: { status: 503 } });
    assert.equal((await fetchFrom(port)).status, 503);
    balancer.clearFaults();
    balancer.setEnabled(`${HOST}:${slow.port}`, false);
    assert.equal((await fetchFrom(port)).status, 502);
    const rows = await entries(balancer, 3);
    assert.deepEqual(rows.map((row) => [row.status, row.outcome]), [[504, 'timed out'], [503, 'fault'], [502, 'refused']]);
  });
});
