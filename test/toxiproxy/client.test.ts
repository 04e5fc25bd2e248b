// `local-lb toxiproxy` driven by toxiproxy's own Node client from npm, as a chaos suite would drive
// toxiproxy-server: proxies and toxics created, listed, changed and removed, and their effect on
// real sockets through the proxies it made.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Toxiproxy } from 'toxiproxy-node-client';
import { Cleanup, echoBackend, exchange, namedBackend, open, readAll, type TestServer } from '../support/net';
import { start } from '../support/process';

const CLI = 'dist/cli.js';

/** How long one round trip through a proxy takes, in ms. */
async function timed(port: number, payload = 'x'): Promise<[reply: string, ms: number]> {
  const started = performance.now();
  const reply = await exchange(port, payload);
  return [reply, performance.now() - started];
}

const portOf = (listen: string): number => Number(listen.slice(listen.lastIndexOf(':') + 1));

describe('local-lb toxiproxy, driven by toxiproxy-node-client', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** The server, a client for it, and a backend answering `name:payload`. */
  async function server(): Promise<{ client: Toxiproxy; upstream: TestServer }> {
    const cli = start(cleanup, CLI, ['toxiproxy', '-port', '0', '-quiet']);
    const api = (await cli.waitFor(/Toxiproxy API on (http:\/\/127\.0\.0\.1:\d+)/))[1];
    return { client: new Toxiproxy(api), upstream: await namedBackend(cleanup, 'up') };
  }

  it('creates a proxy on the address it bound, enabled, and traffic reaches its upstream through it', async () => {
    const { client, upstream } = await server();
    const proxy = await client.createProxy({ name: 'redis', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    assert.match(proxy.listen, /^127\.0\.0\.1:[1-9]\d*$/);
    assert.deepEqual([proxy.name, proxy.upstream, proxy.enabled], ['redis', `127.0.0.1:${upstream.port}`, true]);
    assert.equal(await exchange(portOf(proxy.listen), 'ping'), 'up:ping');
  });

  it('lists every proxy by name, and shows one', async () => {
    const { client, upstream } = await server();
    await client.createProxy({ name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    await client.createProxy({ name: 'b', listen: 'localhost:0', upstream: `localhost:${upstream.port}` });
    assert.deepEqual(Object.keys(await client.getAll()).sort(), ['a', 'b']);
    assert.equal((await client.get('b')).upstream, `localhost:${upstream.port}`, 'as written, as toxiproxy answers it');
  });

  it('a proxy disabled stops listening and closes its connections; enabled again, it listens where it did', async () => {
    const { client, upstream } = await server();
    const proxy = await client.createProxy({ name: 'db', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    const port = portOf(proxy.listen);
    const held = await open(port);
    const reply = readAll(held);
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    assert.equal(disabled.enabled, false);
    await reply;
    await assert.rejects(exchange(port, 'x'), { code: 'ECONNREFUSED' });
    const enabled = await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    assert.deepEqual([enabled.enabled, enabled.listen], [true, proxy.listen]);
    assert.equal(await exchange(port, 'back'), 'up:back');
  });

  it('a proxy removed frees its port and is gone from the list', async () => {
    const { client, upstream } = await server();
    const proxy = await client.createProxy({ name: 'gone', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    await proxy.remove();
    await assert.rejects(exchange(portOf(proxy.listen), 'x'), { code: 'ECONNREFUSED' });
    assert.deepEqual(Object.keys(await client.getAll()), []);
  });

  it('populate creates the proxies of a list and answers them; one already there with the same addresses stays', async () => {
    const { client, upstream } = await server();
    const first = await client.populate([{ name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` }]);
    const again = await client.populate([
      { name: 'a', listen: first.a.listen, upstream: `127.0.0.1:${upstream.port}` },
      { name: 'b', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` },
    ]);
    assert.deepEqual(Object.keys(again).sort(), ['a', 'b']);
    assert.equal(again.a.listen, first.a.listen);
    assert.equal(await exchange(portOf(again.b.listen), 'hi'), 'up:hi');
  });

  it('a latency toxic adds its time to a round trip through the proxy, and removed, takes it away', async () => {
    const { client, upstream } = await server();
    const proxy = await client.createProxy({ name: 'slow', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    const port = portOf(proxy.listen);
    const toxic = await proxy.addToxic({ name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } });
    assert.deepEqual([toxic.name, toxic.type, toxic.stream, toxic.toxicity, toxic.attributes], ['latency_downstream', 'latency', 'downstream', 1, { latency: 100, jitter: 0 }]);
    const [reply, slowMs] = await timed(port);
    assert.equal(reply, 'up:x');
    assert.ok(slowMs >= 95, `${slowMs.toFixed(0)} ms with the toxic`);
    await toxic.remove();
    const [, fastMs] = await timed(port);
    assert.ok(fastMs < 95, `${fastMs.toFixed(0)} ms without it`);
  });

  it('a toxic added while a client keeps its connection open acts on that connection, as toxiproxy\'s do', async () => {
    const { client } = await server();
    const echo = await echoBackend(cleanup);
    const proxy = await client.createProxy({ name: 'pooled', listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
    const held = await open(portOf(proxy.listen));
    cleanup.add(() => held.destroy());
    const echoed = (text: string): Promise<number> =>
      new Promise((resolve) => {
        const started = performance.now();
        held.once('data', () => resolve(performance.now() - started));
        held.write(text);
      });
    await echoed('before');
    await proxy.addToxic({ name: 'lag', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 0 } });
    const ms = await echoed('after');
    assert.ok(ms >= 95, `${ms.toFixed(0)} ms on the connection opened before the toxic`);
  });

  it('a toxic is shown by name and changed in place: its attributes merged, its toxicity set', async () => {
    const { client, upstream } = await server();
    const proxy = await client.createProxy({ name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    const toxic = await proxy.addToxic({ name: 'lag', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 50, jitter: 0 } });
    const changed = await toxic.update({ ...toxic.toJson(), attributes: { latency: 80, jitter: 0 }, toxicity: 0.5 });
    assert.deepEqual([changed.attributes, changed.toxicity, changed.stream], [{ latency: 80, jitter: 0 }, 0.5, 'upstream']);
    const shown = await proxy.getToxic('lag');
    assert.deepEqual([shown.type, shown.attributes], ['latency', { latency: 80, jitter: 0 }]);
  });

  it('reset removes every toxic and enables every proxy', async () => {
    const { client, upstream } = await server();
    const proxy = await client.createProxy({ name: 'r', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    await proxy.addToxic({ name: 'cut', type: 'reset_peer', stream: 'downstream', toxicity: 1, attributes: { timeout: 0 } });
    await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    await client.reset();
    const after = await client.get('r');
    assert.equal(after.enabled, true);
    assert.deepEqual((await (await fetch(`${client.host}/proxies/r/toxics`)).json()) as unknown[], []);
    assert.equal(await exchange(portOf(after.listen), 'ok'), 'up:ok');
  });

  describe('each toxic type, added through the client, acts on the proxy\'s connections', () => {
    /** A proxy to an echo backend with the one toxic. */
    async function proxyWith(type: string, attributes: Record<string, number>, stream = 'downstream'): Promise<number> {
      const cli = start(cleanup, CLI, ['toxiproxy', '-port', '0', '-quiet']);
      const client = new Toxiproxy((await cli.waitFor(/Toxiproxy API on (http:\/\/127\.0\.0\.1:\d+)/))[1]);
      const echo = await echoBackend(cleanup);
      const proxy = await client.createProxy({ name: type, listen: '127.0.0.1:0', upstream: `127.0.0.1:${echo.port}` });
      await proxy.addToxic({ name: type, type: type as never, stream: stream as never, toxicity: 1, attributes: attributes as never });
      return portOf(proxy.listen);
    }

    it('bandwidth: 20 KB at 100 KB/s take at least 150 ms', async () => {
      const port = await proxyWith('bandwidth', { rate: 100 });
      const [reply, ms] = await timed(port, 'b'.repeat(20_000));
      assert.equal(reply.length, 20_000);
      assert.ok(ms >= 150, `${ms.toFixed(0)} ms`);
    });

    it('slow_close: the close comes 200 ms late', async () => {
      const port = await proxyWith('slow_close', { delay: 200 });
      const [, ms] = await timed(port, 'x');
      assert.ok(ms >= 190, `${ms.toFixed(0)} ms`);
    });

    it('timeout: no data passes, and the connection is closed after it', async () => {
      const port = await proxyWith('timeout', { timeout: 150 });
      const started = performance.now();
      const client = await open(port);
      client.write('never answered');
      const reply = await readAll(client);
      assert.equal(reply.data.length, 0);
      assert.ok(performance.now() - started >= 140);
    });

    it('reset_peer: the client is reset', async () => {
      const port = await proxyWith('reset_peer', { timeout: 0 });
      const client = await open(port);
      client.write('x');
      const reply = await readAll(client);
      assert.equal(reply.error?.code, 'ECONNRESET');
    });

    it('slicer: the bytes arrive whole, in pieces', async () => {
      const port = await proxyWith('slicer', { average_size: 10, size_variation: 5, delay: 1000 });
      const payload = 's'.repeat(500);
      const client = await open(port);
      let pieces = 0;
      client.on('data', () => pieces++);
      const reply = readAll(client);
      client.end(payload);
      assert.equal((await reply).data.toString(), payload);
      assert.ok(pieces > 5, `${pieces} pieces`);
    });

    it('limit_data: the connection closes once its bytes have passed', async () => {
      const port = await proxyWith('limit_data', { bytes: 5 });
      const client = await open(port);
      client.end('0123456789');
      const reply = await readAll(client);
      assert.equal(reply.data.toString(), '01234');
    });
  });
});
