import assert from 'node:assert/strict';
import { ConfigError } from '../../src/balancer';
import { withErrorReport } from '../../src/vscode/commands/errorReport';

describe('commands: errors they did not expect', () => {
  const reporter = () => {
    const reports: Array<{ message: string; details: string }> = [];
    return { reports, report: (message: string, details: string) => reports.push({ message, details }) };
  };

  it('a command that succeeds returns its result and reports nothing', async () => {
    const { reports, report } = reporter();
    assert.equal(await withErrorReport('localLb.x', (n: number) => n * 2, report)(21), 42);
    assert.deepEqual(reports, []);
  });

  it('an unexpected error is reported once, with the command in the message and the stack in the details, and not thrown on', async () => {
    const { reports, report } = reporter();
    const result = await withErrorReport('localLb.start', async () => {
      throw new TypeError('boom');
    }, report)();
    assert.equal(result, undefined);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].message, 'Local LB: localLb.start failed: boom. The log has the details.');
    assert.match(reports[0].details, /^localLb\.start failed: TypeError: boom\n\s+at /);
  });

  it('bad input is reported as its own message, no stack', async () => {
    const { reports, report } = reporter();
    await withErrorReport('localLb.disableBackend', () => {
      throw new ConfigError('Unknown backend "9999".');
    }, report)();
    assert.deepEqual(reports, [{ message: 'Unknown backend "9999".', details: 'Unknown backend "9999".' }]);
  });
});
