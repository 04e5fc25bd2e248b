import assert from 'node:assert/strict';
import { withoutUnconsentedBackends } from '../../src/vscode/remoteBackends';

describe('backends off this machine', () => {
  const backends = [
    { host: '127.0.0.1', port: 8101 },
    { host: '::1', port: 8102 },
    { host: '192.0.2.7', port: 80 },
    { host: 'db.example', port: 5432 },
  ];

  it('from a workspace\'s settings, they wait for the user\'s consent; loopback ones do not', () => {
    const { usable, needConsent } = withoutUnconsentedBackends(backends, true, new Set());
    assert.deepEqual(usable.map((b) => b.port), [8101, 8102]);
    assert.deepEqual(needConsent.map((b) => b.port), [80, 5432]);
  });

  it('those the user allowed are used', () => {
    assert.deepEqual(withoutUnconsentedBackends(backends, true, new Set(['192.0.2.7:80'])).needConsent.map((b) => b.port), [5432]);
  });

  it('from the user\'s own settings, they are used without asking', () => {
    assert.deepEqual(withoutUnconsentedBackends(backends, false, new Set()).usable.length, 4);
  });
});
