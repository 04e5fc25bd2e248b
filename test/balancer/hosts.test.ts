import assert from 'node:assert/strict';
import { isLoopbackHost, isWildcardHost, otherLoopback, reachableHost } from '../../src/balancer/hosts';

describe('hosts of this machine', () => {
  it('loopback means 127.0.0.0/8 and ::1', () => {
    assert.deepEqual(['127.0.0.1', '127.1.2.3', '::1', '10.0.0.1', '0.0.0.0', '::', 'example.com'].map(isLoopbackHost), [true, true, true, false, false, false, false]);
  });

  it('wildcards are 0.0.0.0 and ::', () => {
    assert.deepEqual(['0.0.0.0', '::', '127.0.0.1', '::1'].map(isWildcardHost), [true, true, false, false]);
  });

  it('a wildcard is reached on the loopback address of its family; any other host as it is', () => {
    assert.deepEqual(['0.0.0.0', '::', '127.0.0.2', '192.0.2.7'].map(reachableHost), ['127.0.0.1', '::1', '127.0.0.2', '192.0.2.7']);
  });

  it('each loopback address has the other family\'s as its twin; other hosts have none', () => {
    assert.deepEqual(['127.0.0.1', '::1', '127.0.0.2', 'example.com'].map(otherLoopback), ['::1', '127.0.0.1', undefined, undefined]);
  });
});
