// The faults Add Fault offers first.
import assert from 'node:assert/strict';
import { isRequestFault, validateFault, type FaultType } from '../../src/balancer';
import { faultPresets } from '../../src/vscode/commands/faultPresets';

describe('Add Fault presets', () => {
  it('each preset is a valid fault with a name of its own', () => {
    const presets = faultPresets('http');
    for (const preset of presets) validateFault(preset.spec);
    assert.equal(new Set(presets.map((preset) => preset.spec.name)).size, presets.length);
  });

  it('request faults are offered first in HTTP mode, and not at all in TCP mode, where they cannot act', () => {
    const requestFault = (type: unknown): boolean => isRequestFault(type as FaultType);
    assert.deepEqual(faultPresets('http').slice(0, 2).map((preset) => preset.spec.type), ['http_status', 'http_abort']);
    assert.equal(faultPresets('tcp').filter((preset) => requestFault(preset.spec.type)).length, 0);
  });
});
