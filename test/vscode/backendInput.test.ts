import assert from 'node:assert/strict';
import { backendInputProblem } from '../../src/vscode/commands/backendInput';

describe('Add Backend input', () => {
  const existing = [{ host: '127.0.0.1', port: 8101 }];

  it('accepts a new port or host:port', () => {
    assert.equal(backendInputProblem('8104', existing), undefined);
    assert.equal(backendInputProblem('127.0.0.2:8101', existing), undefined);
  });

  it('refuses a port out of range, naming it', () => {
    assert.equal(backendInputProblem('70000', existing), 'Invalid backend port "70000": expected a whole number 1–65535.');
  });

  it('refuses a duplicate, naming it', () => {
    assert.equal(backendInputProblem('localhost:8101', existing), 'Duplicate backend 127.0.0.1:8101: each backend may be given once.');
  });
});
