// HTTP mode's own answers: 502 and 504 when backends fail, 400, 431 and 408 for hostile clients,
// which never reach a backend, while the balancer serves on.
import assert from 'node:assert/strict';
import { Cleanup, closedPort, HOST, listen, portOf, startBalancer, waitFor } from '../support/net';
import { fetchFrom, httpBackend, rawExchange, type HttpBackend } from '../support/httpServers';
import type { BalancerOptions } from '../../src/balancer';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('HTTP mode: failures and hostile input', function (dataPath) {
  this.timeout(20_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function frontendOver(ports: number[], options: Partial<BalancerOptions> = {}): Promise<number> {
    return portOf(await startBalancer(cleanup, { dataPath, mode: 'http', backends: ports.map((port) => ({ host: HOST, port })), health: false, ...options }));
  }

  /** A frontend over a backend that counts what reaches it. */
  async function guarded(options: Partial<BalancerOptions> = {}): Promise<{ port: number; backend: HttpBackend }> {
    const backend = await httpBackend(cleanup, 'a');
    return { port: await frontendOver([backend.port], options), backend };
  }

  /** Sends `text`; asserts the answer's status, that its plain-text body says `reason`, and that the connection was closed. */
  async function refused(port: number, text: string, status: number, reason: RegExp): Promise<void> {
    const answer = await rawExchange(port, text, 2000);
    assert.match(answer.text, new RegExp(`^HTTP/1.1 ${status} `), answer.text);
    assert.match(answer.text, /Content-Type: text\/plain/);
    assert.match(answer.text.split('\r\n\r\n')[1], reason);
    assert.ok(answer.closed, 'the connection is closed');
  }

  it('no backend to take a request: 502 naming why, in plain text', async () => {
    const port = await frontendOver([await closedPort(), await closedPort()]);
    const answer = await fetchFrom(port);
    assert.equal(answer.status, 502);
    assert.equal(answer.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(answer.text, /^502 Bad Gateway: all 2 backend\(s\) tried failed: .*ECONNREFUSED.*; .*ECONNREFUSED/);
  });

  it('a backend that does not answer within the response timeout: 504, and the next request is served', async () => {
    const silent = await listen(cleanup, () => {});
    const backend = await httpBackend(cleanup, 'b');
    const port = await frontendOver([silent.port, backend.port], { responseTimeoutMs: 300 });
    const answer = await fetchFrom(port);
    assert.equal(answer.status, 504);
    assert.equal(answer.text, `504 Gateway Timeout: 127.0.0.1:${silent.port} did not answer within 300 ms\n`);
    assert.equal((await fetchFrom(port)).text, 'b GET /');
  });

  it('a malformed request line: 400 and close, and the backend never sees it', async () => {
    const { port, backend } = await guarded();
    await refused(port, 'GET /\r\n\r\n', 400, /malformed request line "GET \/"/);
    assert.equal(backend.requests.length, 0);
  });

  it('a request head over 16 KiB: 431', async () => {
    const { port, backend } = await guarded();
    await refused(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17_000)}\r\n\r\n`, 431, /over 16384 bytes/);
    assert.equal(backend.requests.length, 0);
  });

  it('request smuggling, Content-Length with Transfer-Encoding: 400, and the backend never sees either request', async () => {
    const { port, backend } = await guarded();
    const smuggled = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n';
    await refused(port, smuggled, 400, /both Content-Length and Transfer-Encoding/);
    assert.equal(backend.requests.length, 0);
  });

  it('request smuggling, two differing Content-Length: 400, and the backend never sees it', async () => {
    const { port, backend } = await guarded();
    await refused(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc', 400, /differing Content-Length headers \(3, 40\)/);
    assert.equal(backend.requests.length, 0);
  });

  it('a malformed chunked body: 400, and the backend\'s request is cut off', async () => {
    const { port, backend } = await guarded();
    let backendConnectionClosed = false;
    backend.server.on('connection', (socket) => socket.on('close', () => (backendConnectionClosed = true)));
    await refused(port, 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400, /chunked request body is malformed/);
    await waitFor('the backend connection closed', () => backendConnectionClosed);
    assert.equal(backend.requests.length, 1, 'the head had gone out; its body never ended');
  });

  it('a head not complete within the request timeout (slowloris): 408 and close', async () => {
    const { port, backend } = await guarded({ requestTimeoutMs: 300 });
    await refused(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ', 408, /no complete request head within 300 ms/);
    assert.equal(backend.requests.length, 0);
  });

  it('a kept-alive client that stays silent is closed without an answer after the request timeout', async () => {
    const { port } = await guarded({ requestTimeoutMs: 300 });
    const answer = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 2000);
    assert.ok(answer.closed);
    assert.equal(answer.text.match(/HTTP\/1\.1 /g)?.length, 1, answer.text);
  });

  it('after all that, the balancer still serves', async () => {
    const { port } = await guarded({ requestTimeoutMs: 300 });
    await rawExchange(port, 'GET /\r\n\r\n', 500);
    await rawExchange(port, `GET / HTTP/1.1\r\nX: ${'a'.repeat(20_000)}`, 500);
    await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ', 1000);
    assert.equal((await fetchFrom(port)).text, 'a GET /');
  });

  it('with an idle timeout, a request whose body stalls is cut off, and its backend connection closed', async () => {
    let backendClosed = false;
    const backend = await httpBackend(cleanup, 'a', (req, res) => {
      req.socket.on('close', () => (backendClosed = true));
      req.on('end', () => res.end('never'));
    });
    const port = await frontendOver([backend.port], { idleTimeoutMs: 300 });
    const answer = await rawExchange(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a part', 3000);
    assert.ok(answer.closed);
    assert.equal(answer.text, '', 'nothing was answered');
    await waitFor('the backend connection closed', () => backendClosed);
  });
});
