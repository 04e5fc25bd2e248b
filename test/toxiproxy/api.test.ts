// Toxiproxy's API as raw HTTP: each status code and error body toxiproxy answers, the version its
// clients read, kept-alive connections, -config, and the refusals that keep web pages out.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminCall } from '../support/http';
import { Cleanup, closedPort, exchange, namedBackend } from '../support/net';
import { runToEnd, start } from '../support/process';

const CLI = 'dist/cli.js';

describe('local-lb toxiproxy: the API as HTTP', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function api(args: string[] = []): Promise<number> {
    const cli = start(cleanup, CLI, ['toxiproxy', '-port', '0', '-quiet', ...args]);
    return Number((await cli.waitFor(/Toxiproxy API on http:\/\/127\.0\.0\.1:(\d+)/))[1]);
  }

  /** A request with a body sent as it is, under `type`. */
  function raw(port: number, method: string, path: string, body: string, type = 'application/json'): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: { 'Content-Type': type } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const errorOf = (answer: { status: number; body: string }): [number, number] => {
    const body = JSON.parse(answer.body) as { status: number; error: string };
    assert.equal(typeof body.error, 'string');
    return [answer.status, body.status];
  };

  it('GET /version names a current toxiproxy version, and Local LB', async () => {
    const port = await api();
    const answer = await adminCall(port, 'GET', '/version');
    const body = JSON.parse(answer.body) as { version: string; server: string };
    assert.equal(answer.status, 200);
    assert.match(body.version, /^2\.(\d{2,}|[6-9])\.\d+$/, 'at least 2.6.0, where clients use PATCH');
    assert.match(body.server, /^Local LB \d+\.\d+\.\d+/);
  });

  it('POST /proxies answers 201; the same name again 409; a missing name or upstream 400; a bad body 400', async () => {
    const port = await api();
    const backend = await namedBackend(cleanup, 'b');
    const proxy = { name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backend.port}` };
    assert.equal((await adminCall(port, 'POST', '/proxies', proxy)).status, 201);
    assert.deepEqual(errorOf(await adminCall(port, 'POST', '/proxies', proxy)), [409, 409]);
    assert.deepEqual(errorOf(await adminCall(port, 'POST', '/proxies', { upstream: proxy.upstream })), [400, 400]);
    assert.deepEqual(errorOf(await adminCall(port, 'POST', '/proxies', { name: 'q' })), [400, 400]);
    assert.deepEqual(errorOf(await raw(port, 'POST', '/proxies', '{"name": ')), [400, 400]);
    assert.match(JSON.parse((await adminCall(port, 'POST', '/proxies', { name: 'q' })).body).error, /^missing required field: upstream/);
  });

  it('a body is read as JSON whatever its content type (Ruby\'s client sends a form type)', async () => {
    const port = await api();
    const backend = await namedBackend(cleanup, 'b');
    const answer = await raw(port, 'POST', '/proxies', JSON.stringify({ name: 'form', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backend.port}` }), 'application/x-www-form-urlencoded');
    assert.equal(answer.status, 201);
  });

  it('an unknown proxy or toxic is 404; a toxic name taken 409; an unknown toxic type or stream 400; a created toxic 200', async () => {
    const port = await api();
    const backend = await namedBackend(cleanup, 'b');
    await adminCall(port, 'POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backend.port}` });
    assert.deepEqual(errorOf(await adminCall(port, 'GET', '/proxies/nope')), [404, 404]);
    assert.deepEqual(errorOf(await adminCall(port, 'GET', '/proxies/p/toxics/nope')), [404, 404]);
    assert.deepEqual(errorOf(await adminCall(port, 'DELETE', '/proxies/nope')), [404, 404]);
    const created = await adminCall(port, 'POST', '/proxies/p/toxics', { type: 'latency', attributes: { latency: 10 } });
    assert.deepEqual([created.status, JSON.parse(created.body)], [200, { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 10, jitter: 0 } }]);
    assert.deepEqual(errorOf(await adminCall(port, 'POST', '/proxies/p/toxics', { type: 'latency' })), [409, 409]);
    assert.deepEqual(errorOf(await adminCall(port, 'POST', '/proxies/p/toxics', { type: 'lag' })), [400, 400]);
    assert.deepEqual(errorOf(await adminCall(port, 'POST', '/proxies/p/toxics', { type: 'latency', name: 'x', stream: 'sideways' })), [400, 400]);
  });

  it('DELETE answers 204 for a proxy and a toxic; PATCH and POST both update a proxy', async () => {
    const port = await api();
    const backend = await namedBackend(cleanup, 'b');
    await adminCall(port, 'POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backend.port}` });
    await adminCall(port, 'POST', '/proxies/p/toxics', { type: 'latency', attributes: { latency: 10 } });
    assert.equal((await adminCall(port, 'DELETE', '/proxies/p/toxics/latency_downstream')).status, 204);
    const patched = await adminCall(port, 'PATCH', '/proxies/p', { enabled: false });
    assert.deepEqual([patched.status, JSON.parse(patched.body).enabled], [200, false]);
    const posted = await adminCall(port, 'POST', '/proxies/p', { enabled: true });
    assert.deepEqual([posted.status, JSON.parse(posted.body).enabled], [200, true]);
    assert.equal((await adminCall(port, 'DELETE', '/proxies/p')).status, 204);
  });

  it('POST /populate answers 201 with the proxies; a proxy without upstream refuses the whole list, creating none', async () => {
    const port = await api();
    const backend = await namedBackend(cleanup, 'b');
    const good = { name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backend.port}`, enabled: null };
    const created = await adminCall(port, 'POST', '/populate', [good]);
    const body = JSON.parse(created.body) as { proxies: Array<{ name: string; enabled: boolean }> };
    assert.deepEqual([created.status, body.proxies.map((proxy) => [proxy.name, proxy.enabled])], [201, [['a', true]]], 'enabled null means enabled');
    assert.deepEqual(errorOf(await adminCall(port, 'POST', '/populate', [{ name: 'b', listen: '127.0.0.1:0', upstream: good.upstream }, { name: 'c' }])), [400, 400]);
    assert.deepEqual(Object.keys(JSON.parse((await adminCall(port, 'GET', '/proxies')).body)), ['a']);
  });

  it('a listen address in use is named, and leaves the server serving', async () => {
    const port = await api();
    const backend = await namedBackend(cleanup, 'b');
    const answer = await adminCall(port, 'POST', '/proxies', { name: 'p', listen: `127.0.0.1:${backend.port}`, upstream: '127.0.0.1:1' });
    assert.equal(answer.status, 500);
    assert.match(JSON.parse(answer.body).error, new RegExp(`Port ${backend.port} is already in use`));
    assert.equal((await adminCall(port, 'GET', '/version')).status, 200);
  });

  it('serves kept-alive HTTP/1.1: many requests over one connection', async () => {
    const port = await api();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    cleanup.add(() => agent.destroy());
    const sockets = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path: '/proxies', agent }, (res) => {
          sockets.add(res.socket);
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
    }
    assert.equal(sockets.size, 1);
  });

  describe('refused, as web pages could send them (403)', () => {
    for (const [what, headers] of [
      ['a browser\'s user agent', { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' }],
      ['an Origin header', { Origin: 'http://evil.example' }],
      ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
      ['a Host that is not loopback (DNS rebinding)', { Host: 'evil.example:8474' }],
    ] as const) {
      it(`a request with ${what}`, async () => {
        const port = await api();
        const answer = await adminCall(port, 'POST', '/proxies', { name: 'p', upstream: '127.0.0.1:1' }, headers);
        assert.deepEqual(errorOf(answer), [403, 403]);
        assert.equal(answer.headers['access-control-allow-origin'], undefined);
      });
    }
  });

  it('-config creates the proxies of toxiproxy\'s JSON list at start', async () => {
    const backend = await namedBackend(cleanup, 'b');
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-toxiproxy-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const file = join(folder, 'toxiproxy.json');
    const listen = await closedPort();
    writeFileSync(file, JSON.stringify([{ name: 'redis', listen: `127.0.0.1:${listen}`, upstream: `127.0.0.1:${backend.port}` }]));
    const port = await api(['-config', file]);
    assert.deepEqual(Object.keys(JSON.parse((await adminCall(port, 'GET', '/proxies')).body)), ['redis']);
    assert.equal(await exchange(listen, 'hi'), 'b:hi');
  });

  it('a bad -config exits 2 before the API listens, naming the file and the proxy', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'local-lb-toxiproxy-'));
    cleanup.add(() => rmSync(folder, { recursive: true, force: true }));
    const file = join(folder, 'toxiproxy.json');
    writeFileSync(file, JSON.stringify([{ name: 'redis' }]));
    const { code, output } = await runToEnd(cleanup, CLI, ['toxiproxy', '-port', '0', '-config', file]);
    assert.equal(code, 2);
    assert.match(output, /^local-lb: The config file ".*toxiproxy\.json": missing required field: upstream at proxy 1/);
    assert.doesNotMatch(output, /Toxiproxy API on/);
  });

  it('an unknown flag exits 2 naming it; -help prints toxiproxy\'s flags', async () => {
    const bad = await runToEnd(cleanup, CLI, ['toxiproxy', '-colour']);
    assert.equal(bad.code, 2);
    assert.match(bad.output, /Unknown option "-colour" for local-lb toxiproxy/);
    const help = await runToEnd(cleanup, CLI, ['toxiproxy', '-help']);
    assert.deepEqual([help.code, /-host HOST/.test(help.output), /-config FILE/.test(help.output)], [0, true, true]);
  });

  it('--toxiproxy-api serves the API next to a run\'s pools; a proxy may not take a pool\'s name', async () => {
    const backend = await namedBackend(cleanup, 'b');
    const cli = start(cleanup, CLI, ['-f', '0', '-p', String(backend.port), '--quiet', '--toxiproxy-api', '0']);
    const port = Number((await cli.waitFor(/Toxiproxy API on http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    assert.deepEqual(errorOf(await adminCall(port, 'POST', '/proxies', { name: 'default', upstream: `127.0.0.1:${backend.port}` })), [409, 409]);
    const created = await adminCall(port, 'POST', '/proxies', { name: 'redis', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backend.port}` });
    const listen = JSON.parse(created.body).listen as string;
    assert.equal(await exchange(Number(listen.split(':')[1]), 'hi'), 'b:hi');
  });

  it('--toxiproxy-api shows the run\'s pools as proxies: all their backends listed, a toxic on each, not deleted', async () => {
    const [a, b] = [await namedBackend(cleanup, 'a'), await namedBackend(cleanup, 'b')];
    const cli = start(cleanup, CLI, ['-f', '0', '-p', `${a.port},${b.port}`, '--quiet', '--health', 'off', '--toxiproxy-api', '0']);
    const frontend = Number((await cli.waitFor(/Listening on 127\.0\.0\.1:(\d+)/))[1]);
    const port = Number((await cli.waitFor(/Toxiproxy API on http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    const pool = JSON.parse((await adminCall(port, 'GET', '/proxies/default')).body);
    assert.deepEqual(pool, { name: 'default', listen: `127.0.0.1:${frontend}`, upstream: `127.0.0.1:${a.port}`, enabled: true, toxics: [], upstreams: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`] });
    assert.equal((await adminCall(port, 'POST', '/proxies/default/toxics', { type: 'reset_peer' })).status, 200);
    const replies = await Promise.all([exchange(frontend, 'x'), exchange(frontend, 'y')]);
    assert.deepEqual(replies, ['', ''], 'both backends\' connections reset');
    assert.deepEqual(errorOf(await adminCall(port, 'DELETE', '/proxies/default')), [409, 409]);
    assert.equal((await adminCall(port, 'POST', '/reset')).status, 204);
    assert.deepEqual(JSON.parse((await adminCall(port, 'GET', '/proxies/default/toxics')).body), []);
  });

  it('GET /metrics counts each proxy\'s bytes as toxiproxy\'s metrics do, per direction', async () => {
    const port = await api();
    const backend = await namedBackend(cleanup, 'b');
    const created = JSON.parse((await adminCall(port, 'POST', '/proxies', { name: 'm', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backend.port}` })).body) as { listen: string };
    assert.equal(await exchange(Number(created.listen.split(':')[1]), 'hello'), 'b:hello');
    const labels = (direction: string): string => `direction="${direction}",listener="${created.listen}",proxy="m",upstream="127.0.0.1:${backend.port}"`;
    let text = '';
    for (let tries = 0; tries < 50 && !text.includes(`toxiproxy_proxy_sent_bytes_total{${labels('downstream')}} 7`); tries++) {
      text = (await adminCall(port, 'GET', '/metrics')).body;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const line of [
      `toxiproxy_proxy_received_bytes_total{${labels('upstream')}} 5`,
      `toxiproxy_proxy_sent_bytes_total{${labels('upstream')}} 5`,
      `toxiproxy_proxy_received_bytes_total{${labels('downstream')}} 7`,
      `toxiproxy_proxy_sent_bytes_total{${labels('downstream')}} 7`,
    ]) {
      assert.ok(text.split('\n').includes(line), `${line}\n---\n${text}`);
    }
  });
});
