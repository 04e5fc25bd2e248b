import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Backends } from '../../src/balancer/backends';
import type { BalancerEvents, HealthChange, LogEntry } from '../../src/balancer';

/** A pool without sockets or checks running, and what it emitted. */
function pool(ports: number[], health: false | { rise: number; fall: number } = false) {
  const events = new EventEmitter<BalancerEvents>();
  const changes: HealthChange[] = [];
  const lines: LogEntry[] = [];
  let configChanges = 0;
  events.on('stateChanged', (change) => changes.push(change));
  events.on('log', (entry) => lines.push(entry));
  events.on('configChanged', () => configChanges++);
  const checks = health && { type: 'tcp' as const, path: '/', intervalMs: 1000, timeoutMs: 500, ...health };
  const backends = new Backends(events, ports.map((port) => ({ host: '127.0.0.1', port })), checks);
  return { backends, changes, lines, configChanges: () => configChanges };
}

describe('backend pool', () => {
  it('finds a backend by id, by any address meaning the same, and by name', () => {
    const { backends } = pool([8101]);
    backends.replace([{ host: '127.0.0.1', port: 8101, name: 'web' }]);
    for (const name of ['127.0.0.1:8101', '8101', 'localhost:8101', 'web']) assert.equal(backends.find(name).id, '127.0.0.1:8101', name);
  });

  it('an unknown backend is refused, naming it', () => {
    assert.throws(() => pool([8101]).backends.find('8102'), { code: 'LLB_NOT_FOUND', message: 'Unknown backend "8102".' });
  });

  it('replacing the list follows the new order, keeps the backends that stay and says what changed', () => {
    const { backends, lines } = pool([8101, 8102]);
    const kept = backends.find('8102');
    for (let i = 0; i < 7; i++) kept.stats.opened({ bytesRead: 0, bytesWritten: 0 });
    backends.replace([{ host: '127.0.0.1', port: 8103 }, { host: '127.0.0.1', port: 8102 }]);
    assert.deepEqual(backends.list.map((b) => b.id), ['127.0.0.1:8103', '127.0.0.1:8102']);
    assert.equal(backends.find('8102'), kept);
    assert.equal(kept.snapshot(7).totalConnections, 7);
    assert.deepEqual(lines.map((line) => line.message), ['Removed backend 127.0.0.1:8101', 'Added backend 127.0.0.1:8103']);
  });

  it('disabling a backend with open connections drains it; its last connection ends the drain', () => {
    const { backends, changes } = pool([8101]);
    const backend = backends.find('8101');
    const side = { bytesRead: 3, bytesWritten: 5 };
    backend.stats.opened(side);
    backends.setEnabled('8101', false);
    assert.equal(backend.state, 'draining');
    backends.connectionClosed(backend, side);
    assert.deepEqual(changes.map(({ from, to, reason }) => [from, to, reason]), [
      ['unknown', 'draining', 'disabled by user'],
      ['draining', 'disabled', 'drained'],
    ]);
    assert.deepEqual([backend.snapshot(1).bytesSent, backend.snapshot(1).bytesReceived], [5, 3]);
  });

  it('a failed connect marks the backend down at once while checks run, with the error as the reason', () => {
    const { backends, changes, lines } = pool([8101], { rise: 2, fall: 3 });
    backends.connectFailed(backends.find('8101'), new Error('connect ECONNREFUSED 127.0.0.1:8101'));
    assert.deepEqual(changes.map(({ from, to }) => [from, to]), [['unknown', 'down']]);
    assert.deepEqual(lines, [{ level: 'warn', message: 'Backend 127.0.0.1:8101 is down (connect ECONNREFUSED 127.0.0.1:8101)' }]);
  });

  it('without checks a failed connect is counted but marks nothing down: nothing would bring it back', () => {
    const { backends, changes } = pool([8101]);
    const backend = backends.find('8101');
    backends.connectFailed(backend, new Error('refused'));
    assert.deepEqual([backend.state, backend.snapshot(0).connectFailures, backend.lastError, changes.length], ['unknown', 1, 'refused', 0]);
  });

  it('says why no backend can take a client', () => {
    assert.equal(pool([]).backends.whyNone(), 'no backends configured');
    const { backends } = pool([8101, 8102, 8103], { rise: 1, fall: 1 });
    backends.connectFailed(backends.find('8101'), new Error('refused'));
    backends.connectFailed(backends.find('8102'), new Error('refused'));
    backends.setEnabled('8103', false);
    assert.equal(backends.whyNone(), '2 down, 1 disabled');
  });

  it('a verdict from elsewhere sets the state and tells, without a log line', () => {
    const { backends, changes, lines } = pool([8101]);
    backends.applyHealth('8101', 'down', 'checked by the main process');
    backends.applyHealth('8101', 'down', 'checked by the main process');
    assert.deepEqual(changes.map(({ to, reason }) => [to, reason]), [['down', 'checked by the main process']]);
    assert.deepEqual(lines, []);
  });

  it('starting without checks of its own keeps the verdicts it was told (as a worker of --workers does)', () => {
    const { backends } = pool([8101]);
    backends.applyHealth('8101', 'down', 'checked by the main process');
    backends.startChecks();
    assert.equal(backends.find('8101').state, 'down');
    backends.stopChecks();
  });

  it('starting with checks begins from unknown', () => {
    const { backends } = pool([8101], { rise: 2, fall: 3 });
    backends.connectFailed(backends.find('8101'), new Error('refused'));
    backends.startChecks();
    assert.equal(backends.find('8101').state, 'unknown');
    backends.stopChecks();
  });
});
