// Messages from the traffic panel's webview are checked before use: anything but the two it sends
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

  it('anything else is refused, naming what came', () => {
    assert.deepEqual(parsePanelMessage('ready'), { error: 'not an object: "ready"' });
    assert.deepEqual(parsePanelMessage(null), { error: 'not an object: null' });
    assert.deepEqual(parsePanelMessage({ type: 'eval', code: 'x' }), { error: 'unknown message type "eval"' });
    assert.deepEqual(parsePanelMessage({ type: 'ready', extra: 1 }), { error: 'a ready message carries nothing else: {"type":"ready","extra":1}' });
    assert.match((parsePanelMessage({ type: 'x'.repeat(500) }) as { error: string }).error, /…$/);
  });
});
