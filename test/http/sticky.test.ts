// Sticky sessions: a cookie keeps a client on the backend that answered it first, while that
// backend takes traffic.
import assert from 'node:assert/strict';
import { Cleanup, HOST, portOf, startBalancer } from '../support/net';
import { fetchFrom, httpBackend, type HttpBackend } from '../support/httpServers';
import { parsePools, Pools, type LoadBalancer } from '../../src/balancer';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('HTTP mode: sticky sessions', function (dataPath) {
  this.timeout(20_000);
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function stickyBalancer(sticky = true): Promise<{ balancer: LoadBalancer; port: number; ids: string[]; backends: HttpBackend[] }> {
    const backends = [await httpBackend(cleanup, 'a'), await httpBackend(cleanup, 'b')];
    const balancer = await startBalancer(cleanup, { dataPath, mode: 'http', sticky, backends: backends.map(({ port }) => ({ host: HOST, port })), health: false });
    return { balancer, port: portOf(balancer), ids: backends.map(({ port }) => `127.0.0.1:${port}`), backends };
  }

  it('the first answer sets a cookie naming its backend; requests carrying it stay there', async () => {
    const { port, ids } = await stickyBalancer();
    const first = await fetchFrom(port);
    assert.equal(first.text, 'a GET /');
    assert.deepEqual(first.headers['set-cookie'], [`local-lb=${ids[0]}; Path=/; HttpOnly; SameSite=Lax`]);
    const cookie = `local-lb=${ids[0]}`;
    for (let i = 0; i < 4; i++) {
      const answer = await fetchFrom(port, { headers: { Cookie: `theme=dark; ${cookie}` } });
      assert.equal(answer.text, 'a GET /');
      assert.equal(answer.headers['set-cookie'], undefined, 'a client already on its backend gets no new cookie');
    }
  });

  it('when its backend stops taking traffic, the client moves to the next and gets a new cookie', async () => {
    const { balancer, port, ids } = await stickyBalancer();
    balancer.setEnabled(ids[0], false);
    const answer = await fetchFrom(port, { headers: { Cookie: `local-lb=${ids[0]}` } });
    assert.equal(answer.text, 'b GET /');
    assert.deepEqual(answer.headers['set-cookie'], [`local-lb=${ids[1]}; Path=/; HttpOnly; SameSite=Lax`]);
  });

  it('the sticky cookie is the balancer\'s: the backend gets the client\'s other cookies without it, and no Cookie header when it was alone', async () => {
    const { port, ids, backends } = await stickyBalancer();
    await fetchFrom(port, { headers: { Cookie: `theme=dark; local-lb=${ids[0]}; lang=en` } });
    await fetchFrom(port, { headers: { Cookie: `local-lb=${ids[0]}` } });
    assert.deepEqual(backends[0].requests.map((request) => request.headers.cookie), ['theme=dark; lang=en', undefined]);
  });

  it('a cookie naming no backend of the pool is ignored', async () => {
    const { port } = await stickyBalancer();
    assert.equal((await fetchFrom(port, { headers: { Cookie: 'local-lb=10.9.9.9:1' } })).status, 200);
  });

  it('without sticky sessions, no cookie is set and cookies are not followed', async () => {
    const { port, ids, backends } = await stickyBalancer(false);
    const answers = [];
    for (let i = 0; i < 2; i++) answers.push(await fetchFrom(port, { headers: { Cookie: `local-lb=${ids[0]}` } }));
    assert.deepEqual(answers.map((answer) => answer.text), ['a GET /', 'b GET /']);
    assert.equal(answers[0].headers['set-cookie'], undefined);
    assert.equal(backends[0].requests[0].headers.cookie, `local-lb=${ids[0]}`, 'a cookie of that name is the application\'s then');
  });

  it('pools on one host each keep their clients in a cookie of their own, named for the pool', async () => {
    const servers = await Promise.all(['a', 'b', 'c'].map((name) => httpBackend(cleanup, name)));
    const [a, b, c] = servers.map(({ port }) => `127.0.0.1:${port}`);
    const pools = new Pools();
    cleanup.add(() => pools.stopAll());
    const definitions = parsePools(
      [
        { name: 'web', frontend: { port: 0 }, backends: [servers[0].port, servers[1].port], stickySessions: true, dataPath, healthCheck: { type: 'off' } },
        { name: 'api', frontend: { port: 0 }, backends: [servers[2].port], stickySessions: true, dataPath, healthCheck: { type: 'off' } },
      ],
      { mode: 'http' },
    );
    for (const definition of definitions) pools.add(definition);
    const [web, api] = (await pools.startAll()).map((start) => ('address' in start ? start.address.port : 0));
    assert.deepEqual((await fetchFrom(web)).headers['set-cookie'], [`local-lb-web=${a}; Path=/; HttpOnly; SameSite=Lax`]);
    const apiAnswer = await fetchFrom(api, { headers: { Cookie: `local-lb-web=${b}` } });
    assert.deepEqual([apiAnswer.text, apiAnswer.headers['set-cookie']], ['c GET /', [`local-lb-api=${c}; Path=/; HttpOnly; SameSite=Lax`]]);
    const webAnswer = await fetchFrom(web, { headers: { Cookie: `local-lb-web=${b}; local-lb-api=${c}` } });
    assert.deepEqual([webAnswer.text, webAnswer.headers['set-cookie']], ['b GET /', undefined], 'web follows its own cookie, and the other pool\'s leaves it alone');
  });
});
