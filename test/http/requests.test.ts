// HTTP mode balances requests: each request of a kept-alive connection goes to the next backend,
// backend connections are reused, and backends learn who asked.
import assert from 'node:assert/strict';
import { Cleanup, listen, portOf, startBalancer } from '../support/net';
import { fetchFrom, httpBackend, keepAliveClient, rawExchange, type HttpBackend } from '../support/httpServers';
import type { LoadBalancer } from '../../src/balancer';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('HTTP mode: requests', function (dataPath) {
  this.timeout(20_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function balancerOver(backends: Array<{ port: number }>): Promise<LoadBalancer> {
    return startBalancer(cleanup, { dataPath, mode: 'http', backends: backends.map(({ port }) => ({ host: '127.0.0.1', port })), health: false });
  }

  async function threeBackends(): Promise<HttpBackend[]> {
    return [await httpBackend(cleanup, 'a'), await httpBackend(cleanup, 'b'), await httpBackend(cleanup, 'c')];
  }

  it('consecutive requests on one kept-alive connection go to the backends in turn', async () => {
    const port = portOf(await balancerOver(await threeBackends()));
    const agent = keepAliveClient(cleanup);
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await fetchFrom(port, { agent, path: `/${i}` })).text);
    assert.deepEqual(answers, ['a GET /0', 'b GET /1', 'c GET /2', 'a GET /3', 'b GET /4', 'c GET /5']);
  });

  it('connections to backends are reused: 30 requests reach each backend over one connection', async () => {
    const backends = await threeBackends();
    const port = portOf(await balancerOver(backends));
    const agent = keepAliveClient(cleanup);
    for (let i = 0; i < 30; i++) await fetchFrom(port, { agent });
    assert.deepEqual(backends.map((backend) => [backend.requests.length, backend.connections]), [[10, 1], [10, 1], [10, 1]]);
  });

  it('backends are told who asked: X-Forwarded-For appended, X-Forwarded-Host and -Proto, Forwarded; Host unchanged', async () => {
    const [backend] = await threeBackends();
    const port = portOf(await balancerOver([backend]));
    await fetchFrom(port, { headers: { Host: 'app.test:8080', 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https', Connection: 'close' } });
    const { headers } = backend.requests[0];
    assert.equal(headers.host, 'app.test:8080');
    assert.equal(headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(headers['x-forwarded-host'], 'app.test:8080');
    assert.equal(headers['x-forwarded-proto'], 'http', 'a client cannot claim https');
    assert.equal(headers.forwarded, 'for=127.0.0.1;host="app.test:8080";proto=http');
    assert.notEqual(headers.connection, 'close', "the client's Connection header is about its own connection");
  });

  /** A backend that answers the first request of each connection and drops the connection at the second, as one closing a kept connection would. */
  function oneAnswerPerConnection() {
    return listen(cleanup, (socket) => {
      let requests = 0;
      socket.on('data', () => {
        if (++requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
        else socket.destroy();
      });
    });
  }

  it('a kept connection the backend closed as the request went out is retried once, on a new one, for a GET', async () => {
    const backend = await oneAnswerPerConnection();
    const port = portOf(await balancerOver([backend]));
    const agent = keepAliveClient(cleanup);
    assert.equal((await fetchFrom(port, { agent })).text, 'ok');
    assert.equal((await fetchFrom(port, { agent })).text, 'ok');
    assert.equal(backend.accepted, 2);
  });

  it('a POST whose body was sent is not retried: the client gets a 502 naming the backend', async () => {
    const backend = await oneAnswerPerConnection();
    const port = portOf(await balancerOver([backend]));
    const agent = keepAliveClient(cleanup);
    await fetchFrom(port, { agent });
    const answer = await fetchFrom(port, { agent, method: 'POST', body: 'data' });
    assert.equal(answer.status, 502);
    assert.match(answer.text, new RegExp(`^502 Bad Gateway: 127\\.0\\.0\\.1:${backend.port} closed the connection without answering`));
  });

  it('pipelined requests are answered in order, each by its own backend', async () => {
    const port = portOf(await balancerOver(await threeBackends()));
    const request = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const { text } = await rawExchange(port, request('/1') + request('/2') + request('/3'));
    const bodies = [...text.matchAll(/\r\n\r\n([abc] GET \/\d)/g)].map((match) => match[1]);
    assert.deepEqual(bodies, ['a GET /1', 'b GET /2', 'c GET /3']);
  });

  it('HEAD, 204 and 304 answers have no body, and the connection goes on with the next request', async () => {
    const backend = await httpBackend(cleanup, 'a', (req, res) => {
      if (req.url === '/empty' || req.url === '/cached') {
        res.writeHead(req.url === '/empty' ? 204 : 304).end();
        return;
      }
      res.setHeader('Content-Length', 5);
      res.end(req.method === 'HEAD' ? undefined : 'hello');
    });
    const port = portOf(await balancerOver([backend]));
    const { text } = await rawExchange(port, ['HEAD /', 'GET /empty', 'GET /cached', 'GET /'].map((line) => `${line} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d+)/g)].map((match) => match[1]);
    assert.deepEqual(statuses, ['200', '204', '304', '200']);
    assert.ok(text.endsWith('\r\n\r\nhello'), text);
    assert.equal(text.split('hello').length, 2, 'one body, the GET\'s');
  });

  it('an HTTP/1.0 client is answered and closed, unless it asked to keep the connection', async () => {
    // Answers of a known length: an HTTP/1.0 answer without one ends with its connection.
    const named = (name: string) =>
      httpBackend(cleanup, name, (req, res) => {
        const body = `${name} GET ${req.url}`;
        res.setHeader('Content-Length', body.length);
        res.end(body);
      });
    const port = portOf(await balancerOver([await named('a'), await named('b'), await named('c')]));
    const closed = await rawExchange(port, 'GET /old HTTP/1.0\r\n\r\n', 2000);
    assert.ok(closed.closed && closed.text.endsWith('a GET /old'), closed.text);
    const kept = await rawExchange(port, 'GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n', 300);
    assert.equal(kept.closed, false);
    assert.equal(kept.text.match(/\r\nConnection: keep-alive\r\n/g)?.length, 2, 'each answer tells the HTTP/1.0 client it stays connected, once');
    assert.deepEqual([...kept.text.matchAll(/([abc] GET \/\d)/g)].map((match) => match[1]), ['b GET /1', 'c GET /2']);
  });

  it('stopping closes idle kept-alive clients at once, and lets a request in progress finish', async () => {
    const slow = await httpBackend(cleanup, 'slow', (_req, res) => setTimeout(() => res.end('late but whole'), 300));
    const balancer = await balancerOver([slow]);
    const port = portOf(balancer);
    const idle = rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 5000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const busy = fetchFrom(port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = balancer.stop({ drainMs: 5000 });
    const [idleAnswer, busyAnswer] = await Promise.all([idle, busy]);
    assert.ok(idleAnswer.closed, 'the idle client was closed');
    assert.equal(busyAnswer.text, 'late but whole');
    assert.equal(busyAnswer.headers.connection, 'close', 'the client is told its connection ends');
    await stopped;
  });

  it('serves on the data path asked for, as TCP mode does', async () => {
    const [backend] = await threeBackends();
    const balancer = await balancerOver([backend]);
    assert.equal(balancer.snapshot().frontend.dataPath, dataPath);
    assert.equal((await fetchFrom(portOf(balancer))).text, 'a GET /');
  });
});
