// Finding a backend from what a user typed: the one function the engine, the CLI and the tree's picker share.
import assert from 'node:assert/strict';
import { findBackend } from '../../src/balancer';

describe('a backend named by a user', () => {
  const backends = [{ id: '127.0.0.1:8101' }, { id: '[::1]:8102' }, { id: '127.0.0.1:8103', name: 'api' }];
  const found = (text: string): string | undefined => findBackend(backends, text)?.id;

  it('by its id, its port, localhost:PORT, or :PORT as the tree labels it', () => {
    assert.deepEqual(['127.0.0.1:8101', '8101', 'localhost:8101', ':8101', ' 8101 '].map(found), Array(5).fill('127.0.0.1:8101'));
  });

  it('by an IPv6 address in brackets, and by its name', () => {
    assert.deepEqual([found('[::1]:8102'), found('api')], ['[::1]:8102', '127.0.0.1:8103']);
  });

  it('nothing for an address or a name no backend has', () => {
    assert.deepEqual([found('8104'), found('web'), found('')], [undefined, undefined, undefined]);
  });
});
