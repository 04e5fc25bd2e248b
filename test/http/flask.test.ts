// HTTP mode in front of real Flask development servers, which close each connection after its
// answer: a kept-alive client still gets each request balanced, and Flask's answers pass whole.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findFreePorts } from '../../src/balancer/freePort';
import { Cleanup, HOST, startBalancer, portOf, waitFor } from '../support/net';
import { fetchFrom, keepAliveClient } from '../support/httpServers';
import { ensureInstalled } from '../support/prerequisites';
import { ROOT } from '../support/process';

describe('HTTP mode: Flask', function () {
  this.timeout(30_000);
  const cleanup = new Cleanup();
  before(() => ensureInstalled('flask'));
  afterEach(() => cleanup.run());

  it('requests of one kept-alive client go to each Flask in turn; each answer is whole, with its status', async () => {
    const ports = await findFreePorts(2);
    for (const port of ports) {
      const flask = spawn('python3', ['-m', 'flask', 'run', '--port', String(port)], {
        env: { ...process.env, FLASK_APP: join(ROOT, 'samples', 'flask', 'app.py'), MSG: `flask ${port}` },
        stdio: 'ignore',
      });
      cleanup.add(() => flask.kill());
    }
    const balancer = await startBalancer(cleanup, { mode: 'http', backends: ports.map((port) => ({ host: HOST, port })), health: { intervalMs: 100 } });
    await waitFor('both Flask servers up', () => balancer.snapshot().backends.every((backend) => backend.state === 'up'), 20_000);
    const agent = keepAliveClient(cleanup);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await fetchFrom(portOf(balancer), { agent }));
    assert.deepEqual(answers.map((answer) => answer.text), [`flask ${ports[0]}`, `flask ${ports[1]}`, `flask ${ports[0]}`, `flask ${ports[1]}`]);
    assert.equal((await fetchFrom(portOf(balancer), { agent, path: '/missing' })).status, 404);
    const { frontend, backends } = balancer.snapshot();
    assert.equal(frontend.totalConnections, 1, 'one client connection for five requests');
    assert.deepEqual(backends.map((backend) => backend.requests?.answers['2xx']), [2, 2]);
  });
});
