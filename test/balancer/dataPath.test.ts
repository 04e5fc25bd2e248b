import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { abort } from '../../src/balancer/sockets/socketCopy';
import { Cleanup, delay, exchange, listen, open, portOf, readAll, receiveHash, sendRandom, startBalancer, waitFor } from '../support/net';
import { describeOnEachDataPath } from '../support/dataPaths';

const MiB = 1024 * 1024;

describeOnEachDataPath('data path', function (dataPath) {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  describe('half-close', () => {
    it('a client that shuts down its write side after the request still gets the whole reply', async () => {
      // The backend answers only after the client's FIN, and slowly, in pieces.
      const backend = await listen(cleanup, (socket) => {
        socket.resume();
        socket.on('end', async () => {
          for (let i = 0; i < 5; i++) {
            socket.write(`part ${i};`);
            await delay(20);
          }
          socket.end('done');
        });
      });
      const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
      assert.equal(await exchange(portOf(balancer), 'request'), 'part 0;part 1;part 2;part 3;part 4;done');
    });

    it('a backend that shuts down its write side first still receives what the client sends after', async () => {
      let received = '';
      let backendSawEnd!: () => void;
      const backendDone = new Promise<void>((resolve) => (backendSawEnd = resolve));
      const backend = await listen(cleanup, (socket) => {
        socket.end('greeting');
        socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
        socket.on('end', () => backendSawEnd());
      });
      const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
      const client = await open(portOf(balancer));
      let greeting = '';
      client.on('data', (chunk: Buffer) => (greeting += chunk.toString()));
      client.once('end', () => client.end('late words'));
      await backendDone;
      assert.equal(greeting, 'greeting');
      assert.equal(received, 'late words');
    });

    describe('both ends closing in turn close cleanly, with no reset on either side', () => {
      async function closeInTurn(clientFirst: boolean): Promise<void> {
        let backend!: { received: string; ended: boolean; error?: Error };
        let backendClosed!: () => void;
        const closed = new Promise<void>((resolve) => (backendClosed = resolve));
        const server = await listen(cleanup, (socket) => {
          backend = { received: '', ended: false };
          socket.on('data', (chunk: Buffer) => {
            backend.received += chunk.toString();
            if (!clientFirst) socket.end('answer');
          });
          socket.on('end', () => {
            backend.ended = true;
            if (clientFirst) socket.end('answer');
          });
          socket.on('error', (error) => (backend.error = error));
          socket.on('close', () => backendClosed());
        });
        const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: server.port }], health: false });
        const client = await open(portOf(balancer));
        const reply = readAll(client);
        // Client first: the question and its FIN at once. Backend first: readAll sends the FIN after the answer's.
        if (clientFirst) client.end('question');
        else client.write('question');
        const { data, ended, error } = await reply;
        await closed;
        assert.deepEqual({ data: data.toString(), ended, error: error?.message }, { data: 'answer', ended: true, error: undefined }, 'the client');
        assert.deepEqual({ ...backend, error: backend.error?.message }, { received: 'question', ended: true, error: undefined }, 'the backend');
      }

      it('the client first', () => closeInTurn(true));

      it('the backend first', () => closeInTurn(false));
    });
  });

  describe('byte-exact transfers', () => {
    async function transferBothWays(size: number): Promise<void> {
      let atBackend!: { received: Promise<{ digest: string; bytes: number }>; sent: Promise<string> };
      const backend = await listen(cleanup, (socket) => {
        atBackend = { received: receiveHash(socket), sent: sendRandom(socket, size) };
      });
      const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
      const client = await open(portOf(balancer));
      const clientReceived = receiveHash(client);
      const clientSent = sendRandom(client, size);
      assert.deepEqual(await clientReceived, { digest: await atBackend.sent, bytes: size }, 'backend → client');
      assert.deepEqual(await atBackend.received, { digest: await clientSent, bytes: size }, 'client → backend');
    }

    it('1 MiB each way at once arrives byte for byte', () => transferBothWays(MiB));

    it('50 MiB each way at once arrives byte for byte', () => transferBothWays(50 * MiB)).timeout(60_000);
  });

  describe('backpressure', () => {
    it('a client that never reads stops the backend from sending instead of filling memory, and loses nothing', async () => {
      let backendWritten = 0;
      let lastProgress = Date.now();
      const chunk = randomBytes(64 * 1024);
      let stopWriting = false;
      const backend = await listen(cleanup, async (socket) => {
        // Write as fast as the proxy accepts, for at most 256 MiB.
        while (!stopWriting && backendWritten < 256 * MiB) {
          const more = socket.write(chunk);
          backendWritten += chunk.length;
          lastProgress = Date.now();
          if (!more) await new Promise((resolve) => socket.once('drain', resolve));
        }
        socket.end();
      });
      const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
      const client = await open(portOf(balancer));
      client.pause();
      await waitFor('the backend to be blocked for 500 ms', () => backendWritten > 0 && Date.now() - lastProgress > 500, 20_000);
      // Kernel buffers on both loopback hops hold some MiB; a proxy without backpressure would take all 256.
      assert.ok(backendWritten < 48 * MiB, `the backend got ${backendWritten / MiB} MiB out`);
      stopWriting = true;
      const reply = readAll(client);
      client.resume();
      client.end();
      assert.equal((await reply).data.length, backendWritten, 'every byte written arrives once the client reads');
    });
  });

  describe('resets', () => {
    it('a client reset mid-stream closes the backend connection and leaves nothing open', async () => {
      let backendClosed = false;
      const backend = await listen(cleanup, (socket) => {
        socket.write(randomBytes(MiB));
        socket.once('close', () => (backendClosed = true));
      });
      const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
      const client = await open(portOf(balancer));
      client.write('some bytes');
      await new Promise((resolve) => client.once('data', resolve));
      client.resetAndDestroy();
      await waitFor('the backend side to close', () => backendClosed);
      await waitFor('no active connection', () => balancer.snapshot().frontend.activeConnections === 0);
      assert.equal(balancer.snapshot().backends[0].activeConnections, 0);
    });

    it('a backend reset mid-stream closes the client connection and leaves nothing open', async () => {
      const backend = await listen(cleanup, (socket) => {
        socket.write('partial answer');
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
      const balancer = await startBalancer(cleanup, { dataPath, backends: [{ host: '127.0.0.1', port: backend.port }], health: false });
      const client = await open(portOf(balancer));
      const reply = await readAll(client);
      assert.equal(reply.data.toString(), 'partial answer');
      assert.equal(reply.ended, false, 'the client sees an abort, not a clean end');
      await waitFor('no active connection', () => balancer.snapshot().frontend.activeConnections === 0);
      assert.match(balancer.snapshot().backends[0].lastError ?? '', /ECONNRESET/);
    });

    it('aborting a socket whose FIN is under way still closes it', async () => {
      // Node cannot reset a socket with a shutdown pending: it reports EINVAL and never closes it.
      let closed = false;
      const server = await listen(cleanup, (socket) => {
        socket.on('error', () => {});
        socket.on('close', () => (closed = true));
        socket.end('bye');
        abort(socket);
      });
      const client = await open(server.port);
      client.on('error', () => {});
      await waitFor('the aborted socket to close', () => closed);
    });
  });
});
