// HTTP mode streams bodies both ways, byte for byte, whatever their framing.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { Cleanup, HOST, portOf, sha256, startBalancer } from '../support/net';
import { fetchFrom, httpBackend, rawExchange } from '../support/httpServers';
import { describeOnEachDataPath } from '../support/dataPaths';

const MB = 1024 * 1024;

describeOnEachDataPath('HTTP mode: bodies', function (dataPath) {
  this.timeout(30_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** A backend that answers with the sha256 and length of the body it got. */
  async function hashingBackend() {
    return httpBackend(cleanup, 'hash', (req, res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
      });
      req.on('end', () => res.end(`${bytes} ${hash.digest('hex')}`));
    });
  }

  async function frontendOver(port: number): Promise<number> {
    return portOf(await startBalancer(cleanup, { dataPath, mode: 'http', backends: [{ host: HOST, port }], health: false }));
  }

  it('a 20 MB request body with a Content-Length reaches the backend byte for byte', async () => {
    const port = await frontendOver((await hashingBackend()).port);
    const body = randomBytes(20 * MB);
    const answer = await fetchFrom(port, { method: 'POST', body });
    assert.equal(answer.text, `${body.length} ${sha256(body)}`);
  });

  it('a 20 MB chunked request body reaches the backend byte for byte', async () => {
    const port = await frontendOver((await hashingBackend()).port);
    const body = randomBytes(20 * MB);
    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ host: HOST, port, method: 'PUT', path: '/', agent: false }, (res) => {
        let answer = '';
        res.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        res.on('end', () => resolve(answer));
      });
      req.on('error', reject);
      // Written in pieces without a length: Node sends them chunked.
      for (let at = 0; at < body.length; at += 1_000_003) req.write(body.subarray(at, at + 1_000_003));
      req.end();
    });
    assert.equal(text, `${body.length} ${sha256(body)}`);
  });

  it('a 20 MB answer, chunked or with a length, reaches the client byte for byte', async () => {
    const body = randomBytes(20 * MB);
    const backend = await httpBackend(cleanup, 'big', (req, res) => {
      req.resume();
      if (req.url === '/length') res.setHeader('Content-Length', body.length);
      for (let at = 0; at < body.length; at += 65_536) res.write(body.subarray(at, at + 65_536));
      res.end();
    });
    const port = await frontendOver(backend.port);
    for (const path of ['/length', '/chunked']) {
      const answer = await fetchFrom(port, { path });
      assert.equal(answer.headers['transfer-encoding'], path === '/chunked' ? 'chunked' : undefined);
      assert.equal(sha256(answer.body), sha256(body), path);
    }
  });

  it('an answer without a length ends with the connection, and so does the client\'s connection', async () => {
    const backend = await httpBackend(cleanup, 'old', (req, res) => {
      req.resume();
      // HTTP/1.0 style: no length, no chunks; the end of the connection ends the body.
      res.socket?.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    });
    const port = await frontendOver(backend.port);
    const { text, closed } = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 2000);
    assert.ok(text.endsWith('\r\n\r\nuntil the end'), text);
    assert.ok(closed);
  });

  it('Expect: 100-continue gets the backend\'s 100 Continue, then the body goes through', async () => {
    const port = await frontendOver((await hashingBackend()).port);
    const body = Buffer.from('sent after the go-ahead');
    const events: string[] = [];
    const text = await new Promise<string>((resolve, reject) => {
      const req = request({ host: HOST, port, method: 'POST', path: '/', agent: false, headers: { Expect: '100-continue', 'Content-Length': body.length } }, (res) => {
        events.push(`answer ${res.statusCode}`);
        let answer = '';
        res.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        res.on('end', () => resolve(answer));
      });
      req.on('continue', () => {
        events.push('continue');
        req.end(body);
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.deepEqual(events, ['continue', 'answer 200']);
    assert.equal(text, `${body.length} ${sha256(body)}`);
  });
});
