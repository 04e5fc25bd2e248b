// Backends on this machine that listen on only one of its loopback addresses.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { findFreePort } from '../../src/balancer';
import { Cleanup, exchange } from '../support/net';
import { httpGet } from '../support/http';
import { ensureInstalled } from '../support/prerequisites';
import { ROOT } from '../support/process';
import { startBalancerProcess } from './balancerProcess';
import { describeOnEachDataPath } from '../support/dataPaths';

describeOnEachDataPath('faults: loopback addresses', function (dataPath) {
  this.timeout(30_000);
  const cleanup = new Cleanup();
  before(() => ensureInstalled('flask'));
  afterEach(() => cleanup.run());

  it('a localhost backend reaches Flask, which listens on 127.0.0.1 only', async () => {
    const port = await findFreePort();
    const flask = spawn('python3', ['-m', 'flask', 'run', '--port', String(port)], {
      env: { ...process.env, FLASK_APP: join(ROOT, 'samples', 'flask', 'app.py'), MSG: 'flask on 127.0.0.1' },
      stdio: 'ignore',
    });
    cleanup.add(() => flask.kill());
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', `localhost:${port}`, '--health', 'http:/health', '--health-interval', '100ms']);
    await lb.running.waitFor(/is up/, 20_000);
    assert.deepEqual(await httpGet(`http://127.0.0.1:${lb.port}/`), { status: 200, type: 'text/html; charset=utf-8', body: 'flask on 127.0.0.1' });
  });

  it('a localhost backend reaches a server that listens on ::1 only', async () => {
    const server = createServer((socket) => socket.on('error', () => {}).end('hello from ::1'));
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    cleanup.add(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as { port: number };
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', `localhost:${port}`, '--health-interval', '100ms']);
    await lb.running.waitFor(/is up/);
    assert.equal(await exchange(lb.port), 'hello from ::1');
    assert.doesNotMatch(lb.running.output(), /is down/);
  });

  it('a ::1-only server is reached even before a health check found it', async () => {
    const server = createServer((socket) => socket.on('error', () => {}).end('found on ::1'));
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    cleanup.add(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as { port: number };
    const lb = await startBalancerProcess(cleanup, ['--data-path', dataPath, '-p', String(port), '--health', 'off']);
    const answers = await Promise.all([exchange(lb.port), exchange(lb.port)]);
    assert.deepEqual(answers, ['found on ::1', 'found on ::1']);
    assert.doesNotMatch(lb.running.output(), /WARN/, 'nobody was refused');
  });
});
