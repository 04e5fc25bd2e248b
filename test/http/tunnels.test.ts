// What HTTP mode does not read as requests: WebSocket connections after their 101, and TLS or
// HTTP/2 connections, which are passed through as in TCP mode.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect as connectHttp2, createServer as createHttp2Server } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { Cleanup, echoBackend, HOST, open, portOf, startBalancer } from '../support/net';
import { httpBackend } from '../support/httpServers';
import type { LogEntry } from '../../src/balancer';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('HTTP mode: upgrades and passthrough', function (dataPath) {
  this.timeout(20_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function frontendOver(port: number, logs: LogEntry[] = []): Promise<number> {
    const balancer = await startBalancer(cleanup, { dataPath, mode: 'http', backends: [{ host: HOST, port }], health: false });
    balancer.on('log', (entry) => logs.push(entry));
    return portOf(balancer);
  }

  /** Reads from `socket` until `length` bytes came. */
  function readBytes(socket: Socket, length: number): Promise<Buffer> {
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let got = 0;
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        got += chunk.length;
        if (got < length) return;
        socket.off('data', onData);
        resolve(Buffer.concat(chunks));
      };
      socket.on('data', onData);
    });
  }

  it('a WebSocket handshake gets the backend\'s 101, then frames are echoed both ways through the balancer', async () => {
    const backend = await httpBackend(cleanup, 'ws');
    let upgrades = 0;
    backend.server.on('upgrade', (req, socket: Socket) => {
      upgrades++;
      socket.on('error', () => {});
      const accept = createHash('sha1').update(`${String(req.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.on('data', (frame: Buffer) => socket.write(frame));
    });
    const port = await frontendOver(backend.port);
    const client = await open(port);
    cleanup.add(() => client.destroy());
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    client.write(`GET /socket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    const handshake = (await readBytes(client, 1)).toString('latin1');
    assert.match(handshake, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(handshake, /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/);
    // A masked text frame "hello", echoed as it is.
    const frame = Buffer.from([0x81, 0x85, 1, 2, 3, 4, ...Buffer.from('hello').map((byte, i) => byte ^ [1, 2, 3, 4][i % 4])]);
    for (let i = 0; i < 3; i++) {
      client.write(frame);
      assert.deepEqual(await readBytes(client, frame.length), frame);
    }
    assert.equal(upgrades, 1);
  });

  it('an HTTP/2 connection (h2c) is passed through to the backend, and the log says so once', async () => {
    const server = createHttp2Server((req, res) => res.end(`h2 ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    cleanup.add(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const logs: LogEntry[] = [];
    const port = await frontendOver((server.address() as AddressInfo).port, logs);
    for (let i = 0; i < 2; i++) {
      const session = connectHttp2(`http://${HOST}:${port}`);
      const body = await new Promise<string>((resolve, reject) => {
        const stream = session.request({ ':path': `/grpc-like/${i}` });
        let text = '';
        stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
      });
      session.close();
      assert.equal(body, `h2 /grpc-like/${i}`);
    }
    assert.equal(logs.filter((entry) => /HTTP\/2 connection .* passed through as TCP/.test(entry.message)).length, 1);
  });

  it('a connection that starts with a TLS ClientHello is passed through untouched', async () => {
    const backend = await echoBackend(cleanup);
    const logs: LogEntry[] = [];
    const port = await frontendOver(backend.port, logs);
    const client = await open(port);
    cleanup.add(() => client.destroy());
    const hello = Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x03]);
    client.write(hello);
    assert.deepEqual(await readBytes(client, hello.length), hello);
    assert.ok(logs.some((entry) => /TLS \(HTTPS\) connection .* passed through as TCP/.test(entry.message)));
  });
});
