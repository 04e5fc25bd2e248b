// The request inspector's record, on real sockets in HTTP mode: each watched request's heads as the
// client sent them and as the backend got them, the answer as the client got it, its times, what
// failed over or answered for the backend; its HAR (checked against HAR 1.2) and its curl command.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { curlCommand, replayRequest, toHar, type LoadBalancer, type RecordedRequest, type RequestDetails, type TrafficEntry } from '../../src/balancer';
import { RecentEntries } from '../../src/balancer/traffic/recentEntries';
import { validateHar } from '../support/harSchema';
import { httpBackend, rawExchange, type HttpBackend } from '../support/httpServers';
import { Cleanup, closedPort, HOST, startBalancer, waitFor } from '../support/net';

const REQUEST = [
  'GET /cart?id=7&size=m HTTP/1.1',
  'Host: shop.test',
  'User-Agent: inspector-test',
  'Authorization: Bearer s3cret',
  'Cookie: session=abc; theme=dark',
  'Connection: close',
  '',
  '',
].join('\r\n');

/** Answers with a cookie and a header of its own, and notes the raw headers it got. */
async function backendSeeing(cleanup: Cleanup, seen: Array<[string, string]>[]): Promise<HttpBackend> {
  return httpBackend(cleanup, 'shop', (req: IncomingMessage, res) => {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    seen.push(pairs);
    req.resume();
    req.on('end', () => {
      res.setHeader('Set-Cookie', 'cart=42; Path=/');
      res.setHeader('X-Backend', 'shop');
      res.setHeader('Content-Type', 'text/plain');
      res.end('three items');
    });
  });
}

/** The entries kept with details, once `count` requests ended. */
async function detailed(balancer: LoadBalancer, count: number): Promise<Array<TrafficEntry & { details: RequestDetails }>> {
  await waitFor(`${count} requests recorded`, () => balancer.traffic.detailed().length >= count);
  return balancer.traffic.detailed() as Array<TrafficEntry & { details: RequestDetails }>;
}

/** A head's header lines, as written. */
function headerLines(head: string): Array<[string, string]> {
  return head
    .split('\r\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]);
}

describe('the request inspector\'s record', function () {
  this.timeout(15_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function watchedBalancer(backendPorts: number[], extra: Partial<Parameters<typeof startBalancer>[1]> = {}): Promise<LoadBalancer> {
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: backendPorts.map((port) => ({ host: HOST, port })), health: false, ...extra });
    cleanup.add(balancer.traffic.watch());
    return balancer;
  }

  it('keeps the request as the client sent it, what Local LB added and left out, and the answer as the client got it', async () => {
    const seen: Array<[string, string]>[] = [];
    const backend = await backendSeeing(cleanup, seen);
    const balancer = await watchedBalancer([backend.port]);
    const { text } = await rawExchange(balancer.address()!.port, REQUEST);
    const [{ details, status, method, path }] = await detailed(balancer, 1);
    assert.deepEqual([method, path, status], ['GET', '/cart?id=7&size=m', 200]);
    assert.deepEqual(details.requestHeaders, headerLines(REQUEST));
    assert.deepEqual(details.removedHeaders, ['Connection']);
    assert.deepEqual(details.addedHeaders.map(([name]) => name), ['X-Forwarded-For', 'X-Forwarded-Host', 'X-Forwarded-Proto', 'Forwarded']);
    // What the backend got is what the client sent, less what was left out, plus what was added.
    const expected = [...details.requestHeaders.filter(([name]) => name !== 'Connection'), ...details.addedHeaders];
    assert.deepEqual([...seen[0]].sort(), [...expected].sort());
    const [head, body] = text.split('\r\n\r\n');
    assert.deepEqual([details.response?.status, details.response?.reason], [200, 'OK']);
    assert.deepEqual(details.response?.headers, headerLines(head));
    assert.equal(details.responseBodyBytes, Buffer.byteLength(body));
    assert.equal(details.reusedConnection, false);
  });

  it('its times, from a backend chosen to the answer\'s end, add up to the request\'s duration', async () => {
    const backend = await backendSeeing(cleanup, []);
    const balancer = await watchedBalancer([backend.port]);
    await rawExchange(balancer.address()!.port, REQUEST);
    const [{ details, durationMs }] = await detailed(balancer, 1);
    const { blocked, connect, send, wait, receive } = details.timings;
    assert.ok([blocked, connect, send, wait, receive].every((ms) => ms >= 0), JSON.stringify(details.timings));
    const sum = blocked + connect + send + wait + receive;
    assert.ok(Math.abs(sum - durationMs) < 2, `${sum} ms of steps against ${durationMs} ms`);
  });

  it('nothing is kept of requests while nobody watches', async () => {
    const backend = await backendSeeing(cleanup, []);
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: [{ host: HOST, port: backend.port }], health: false });
    await rawExchange(balancer.address()!.port, REQUEST);
    assert.deepEqual(balancer.traffic.detailed(), []);
    assert.equal(balancer.traffic.detailsWeight, 0);
  });

  it('a failover names the backend tried first and why it failed', async () => {
    const backend = await backendSeeing(cleanup, []);
    const closed = await closedPort();
    const balancer = await watchedBalancer([closed, backend.port]);
    await rawExchange(balancer.address()!.port, REQUEST);
    const [{ details, outcome }] = await detailed(balancer, 1);
    assert.equal(outcome, 'failed over');
    assert.equal(details.attempts?.length, 1);
    assert.equal(details.attempts?.[0].backend, `${HOST}:${closed}`);
    assert.match(details.attempts?.[0].error ?? '', /refused/i);
  });

  it('a fault that answers for the backend is named, with the answer the client got', async () => {
    const backend = await backendSeeing(cleanup, []);
    const balancer = await watchedBalancer([backend.port]);
    balancer.addFault(`${HOST}:${backend.port}`, { type: 'http_status', name: 'broken', attributes: { status: 503 } });
    await rawExchange(balancer.address()!.port, REQUEST);
    const [{ details }] = await detailed(balancer, 1);
    assert.equal(details.fault, 'broken: answered 503');
    assert.equal(details.response?.status, 503);
    assert.match(details.ownAnswer ?? '', /fault broken/);
  });

  it('its HAR is valid HAR 1.2 and says what the client and the backend saw, secrets masked unless asked', async () => {
    const backend = await backendSeeing(cleanup, []);
    const balancer = await watchedBalancer([backend.port]);
    await rawExchange(balancer.address()!.port, REQUEST);
    const entries = await detailed(balancer, 1);
    const options = { frontend: `${HOST}:${balancer.address()!.port}`, creator: { name: 'Local LB', version: 'test' } };
    const har = toHar(entries, options);
    await validateHar(har);
    const [entry] = har.log.entries as Array<{ request: Record<string, unknown>; response: Record<string, unknown>; time: number; timings: Record<string, number> }>;
    assert.equal(entry.request.url, 'http://shop.test/cart?id=7&size=m');
    assert.deepEqual(entry.request.queryString, [{ name: 'id', value: '7' }, { name: 'size', value: 'm' }]);
    assert.deepEqual((entry.request.headers as Array<{ name: string; value: string }>).find(({ name }) => name === 'Authorization'), { name: 'Authorization', value: '(masked)' });
    assert.deepEqual(entry.request.cookies, [{ name: 'session', value: '(masked)' }, { name: 'theme', value: '(masked)' }]);
    assert.deepEqual(entry.response.cookies, [{ name: 'cart', value: '(masked)' }]);
    assert.deepEqual([entry.response.status, entry.response.bodySize], [200, Buffer.byteLength('three items')]);
    const { blocked, connect, send, wait, receive } = entry.timings;
    assert.ok(Math.abs(entry.time - (blocked + connect + send + wait + receive)) < 1e-6);
    const shown = toHar(entries, { ...options, showSecrets: true }) as { log: { entries: Array<{ request: { headers: Array<{ name: string; value: string }> } }> } };
    assert.equal(shown.log.entries[0].request.headers.find(({ name }) => name === 'Authorization')?.value, 'Bearer s3cret');
  });

  it('copy as curl: the command sends the same request through the balancer, and gets the same status and body', async () => {
    const backend = await backendSeeing(cleanup, []);
    const balancer = await watchedBalancer([backend.port]);
    const { text } = await rawExchange(balancer.address()!.port, REQUEST);
    const [entry] = await detailed(balancer, 1);
    const command = curlCommand(entry, `${HOST}:${balancer.address()!.port}`);
    const output = await new Promise<string>((resolve, reject) => execFile('sh', ['-c', command], (error, stdout) => (error ? reject(error) : resolve(stdout))));
    const hash = (answer: string): string => createHash('sha256').update(answer.slice(answer.indexOf('\r\n\r\n') + 4)).digest('hex');
    assert.equal(output.split('\r\n')[0], text.split('\r\n')[0]);
    assert.equal(hash(output), hash(text));
    assert.equal(backend.requests.length, 2);
    assert.equal(backend.requests[1].headers.authorization, 'Bearer s3cret');
  });

  it('replay sends the request again through the balancer: the backend gets it, and its row is marked as a replay', async () => {
    const backend = await backendSeeing(cleanup, []);
    const balancer = await watchedBalancer([backend.port]);
    await rawExchange(balancer.address()!.port, REQUEST);
    const [entry] = await detailed(balancer, 1);
    const result = await replayRequest(entry, balancer.address()!, (client) => balancer.traffic.expectReplay(client));
    assert.deepEqual(result, { status: 200, reason: 'OK' });
    const rows = await detailed(balancer, 2);
    assert.deepEqual(rows.map((row) => [row.path, row.replay === true]), [['/cart?id=7&size=m', false], ['/cart?id=7&size=m', true]]);
    assert.equal(backend.requests.length, 2);
    assert.equal(backend.requests[1].headers.authorization, 'Bearer s3cret');
  });

  it('replay to the backend reaches it straight, past the balancer; a request whose body was not recorded is not sent', async () => {
    const backend = await backendSeeing(cleanup, []);
    const balancer = await watchedBalancer([backend.port]);
    await rawExchange(balancer.address()!.port, REQUEST);
    const [entry] = await detailed(balancer, 1);
    assert.equal((await replayRequest(entry, { host: HOST, port: backend.port })).status, 200);
    assert.equal(backend.requests.length, 2);
    assert.equal(balancer.traffic.detailed().length, 1);
    const withBody = { ...entry, details: { ...entry.details, requestBodyBytes: 5 } };
    assert.deepEqual(await replayRequest(withBody, balancer.address()!), { error: 'its body (5 bytes) was not recorded' });
  });
});

describe('the inspector\'s memory', () => {
  it('keeps records within its byte budget, dropping the oldest first', () => {
    const entries = new RecentEntries(100, 10_000);
    const record = (size: number): RecordedRequest => ({
      requestHead: `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'x'.repeat(size)}`, addedHeaders: [], removedHeaders: [], requestBodyBytes: 0, responseBodyBytes: 0,
      timings: { blocked: 0, connect: 0, send: 0, wait: 0, receive: 0 }, reusedConnection: false,
    });
    for (let i = 0; i < 10; i++) entries.keepRecord(entries.next(), record(2000));
    assert.ok(entries.recordsWeight <= 10_000, String(entries.recordsWeight));
    const kept = entries.withDetails();
    assert.deepEqual(kept.map((entry) => entry.seq), [8, 9, 10]);
    assert.deepEqual(kept[0].details?.requestHeaders.map(([name]) => name), ['Host', 'X-Big']);
    assert.equal(entries.since(0).length, 10, 'the rows stay; only their records go');
    assert.ok(entries.since(0).every((entry) => entry.details === undefined), 'the table\'s updates carry no details');
  });
});
