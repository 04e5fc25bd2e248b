// Messages from the traffic panel's webview are checked before use: anything but those it sends
// is refused with a reason naming what came.
import assert from 'node:assert/strict';
import { parsePanelMessage } from '../../src/balancer';

describe('messages from the traffic panel', () => {
  it('{ type: "ready" } is taken', () => {
    assert.deepEqual(parsePanelMessage({ type: 'ready' }), { type: 'ready' });
  });

  it('{ type: "pool", pool } is taken with a name, and nothing else', () => {
    assert.deepEqual(parsePanelMessage({ type: 'pool', pool: 'api' }), { type: 'pool', pool: 'api' });
    assert.deepEqual(parsePanelMessage({ type: 'pool', pool: 3 }), { error: 'a pool message carries the pool\'s name and nothing else: {"type":"pool","pool":3}' });
    assert.match((parsePanelMessage({ type: 'pool', pool: 'x'.repeat(65) }) as { error: string }).error, /^a pool message carries/);
    assert.match((parsePanelMessage({ type: 'pool', pool: 'api', code: 'x' }) as { error: string }).error, /^a pool message carries/);
  });

  it('a row\'s details, its curl command or its replay is asked for by its seq, a whole number, and nothing else', () => {
    assert.deepEqual(parsePanelMessage({ type: 'details', seq: 12 }), { type: 'details', seq: 12 });
    assert.deepEqual(parsePanelMessage({ type: 'copyCurl', seq: 3 }), { type: 'copyCurl', seq: 3 });
    assert.deepEqual(parsePanelMessage({ type: 'replay', seq: 4 }), { type: 'replay', seq: 4 });
    assert.deepEqual(parsePanelMessage({ type: 'replayToBackend', seq: 5 }), { type: 'replayToBackend', seq: 5 });
    for (const bad of [{ type: 'details', seq: '12' }, { type: 'details', seq: 0 }, { type: 'details', seq: 1.5 }, { type: 'copyCurl', seq: 2, text: 'rm -rf' }, { type: 'details' }]) {
      assert.match((parsePanelMessage(bad) as { error: string }).error, /message carries a row's seq, a whole number, and nothing else/, JSON.stringify(bad));
    }
  });

  it('{ type: "exportHar" } is taken, with nothing else', () => {
    assert.deepEqual(parsePanelMessage({ type: 'exportHar' }), { type: 'exportHar' });
    assert.deepEqual(parsePanelMessage({ type: 'exportHar', file: '/etc/passwd' }), { error: 'an exportHar message carries nothing else: {"type":"exportHar","file":"/etc/passwd"}' });
  });

  it('anything else is refused, naming what came', () => {
    assert.deepEqual(parsePanelMessage('ready'), { error: 'not an object: "ready"' });
    assert.deepEqual(parsePanelMessage(null), { error: 'not an object: null' });
    assert.deepEqual(parsePanelMessage({ type: 'eval', code: 'x' }), { error: 'unknown message type "eval"' });
    assert.deepEqual(parsePanelMessage({ type: 'ready', extra: 1 }), { error: 'a ready message carries nothing else: {"type":"ready","extra":1}' });
    assert.match((parsePanelMessage({ type: 'x'.repeat(500) }) as { error: string }).error, /…$/);
  });
});
