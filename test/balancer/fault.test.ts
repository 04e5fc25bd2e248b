import assert from 'node:assert/strict';
import { CONNECTION_FAULT_TYPES, describeFault, FAULT_TYPES, REQUEST_FAULT_TYPES, validateFault, type FaultSpec, type FaultType } from '../../src/balancer';
import { FAULT_TYPE_DEFINITIONS } from '../../src/balancer/faults/types/index';

function refused(spec: FaultSpec, message: string, taken?: Set<string>, code = 'LLB_BAD_VALUE'): void {
  assert.throws(() => validateFault(spec, taken), (error: Error & { code?: string }) => {
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    return true;
  });
}

describe('faults: what a fault may be', () => {
  it('defaults follow toxiproxy: downstream, toxicity 1, named TYPE_STREAM, optional attributes filled in', () => {
    assert.deepEqual(validateFault({ type: 'latency', attributes: { latency: 300 } }), {
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 300, jitter: 0 },
    });
    assert.deepEqual(validateFault({ type: 'reset_peer', stream: 'upstream', toxicity: 0.3 }).attributes, { timeout: 0 });
    assert.deepEqual(validateFault({ type: 'slicer', attributes: { average_size: 10 } }).attributes, { average_size: 10, size_variation: 0, delay: 0 });
  });

  it('an unknown type, stream or attribute is refused, naming it and what is allowed', () => {
    refused({ type: 'lag' }, 'Unknown fault type "lag": expected one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, http_status, http_abort.');
    refused({ type: 'timeout', stream: 'sideways', attributes: { timeout: 1 } }, 'Unknown stream "sideways": expected one of downstream, upstream.');
    refused({ type: 'bandwidth', attributes: { rate: 10, burst: 2 } }, 'Unknown attribute "burst" for bandwidth: expected rate.');
  });

  it('a missing type or required attribute is refused, naming it and its unit', () => {
    refused({ attributes: {} }, 'Missing the fault type: expected one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, http_status, http_abort.');
    refused({ type: 'limit_data' }, 'The limit_data fault needs bytes (bytes).');
    refused({ type: 'latency', attributes: { jitter: 5 } }, 'The latency fault needs latency (ms).');
  });

  it('request faults default to 503, are named by their type, and take a status from 200 to 599', () => {
    assert.deepEqual(validateFault({ type: 'http_status' }), { name: 'http_status', type: 'http_status', stream: 'downstream', toxicity: 1, attributes: { status: 503 } });
    assert.deepEqual(validateFault({ type: 'http_abort', toxicity: 0.1 }).name, 'http_abort');
    refused({ type: 'http_status', attributes: { status: 600 } }, 'Invalid http_status status 600: expected a whole number from 200 to 599.');
    refused({ type: 'http_status', attributes: { status: 404.5 } }, 'Invalid http_status status 404.5: expected a whole number from 200 to 599.');
    refused({ type: 'http_abort', attributes: { status: 500 } }, 'Unknown attribute "status" for http_abort: expected none.');
  });

  it('negative, non-numeric and out-of-range values are refused, naming the value', () => {
    refused({ type: 'latency', attributes: { latency: -1 } }, 'Invalid latency latency -1: expected at least 0 (ms).');
    refused({ type: 'bandwidth', attributes: { rate: 0 } }, 'Invalid bandwidth rate 0: expected at least 1 (KB/s).');
    refused({ type: 'latency', attributes: { latency: '300' } }, 'Invalid latency latency "300": expected a number.');
    refused({ type: 'reset_peer', toxicity: 1.5 }, 'Invalid toxicity 1.5: expected a number from 0 to 1.');
    refused({ type: 'reset_peer', attributes: [1] }, 'Invalid attributes [1]: expected an object such as {"timeout": 100}.');
  });

  it('a name is unique per backend', () => {
    refused({ type: 'reset_peer' }, 'The backend already has a fault named "reset_peer_downstream": remove it first, or give another name.', new Set(['reset_peer_downstream']), 'LLB_CONFLICT');
    assert.equal(validateFault({ type: 'reset_peer', name: 'second' }, new Set(['reset_peer_downstream'])).name, 'second');
    refused({ type: 'reset_peer', name: 'a b' }, 'Invalid fault name "a b": expected 1 to 64 letters, digits, "_", "-" or ".".');
  });

  it('views name a fault by its effect, its direction and its chance', () => {
    assert.equal(describeFault(validateFault({ type: 'latency', attributes: { latency: 300 } })), 'latency 300 ms ↓');
    assert.equal(describeFault(validateFault({ type: 'latency', attributes: { latency: 100, jitter: 80 }, stream: 'upstream' })), 'latency 100 ± 80 ms ↑');
    assert.equal(describeFault(validateFault({ type: 'reset_peer', toxicity: 0.3 })), 'reset ↓ (30%)');
    assert.equal(describeFault(validateFault({ type: 'timeout', attributes: { timeout: 0 } })), 'timeout (never answers) ↓');
    assert.equal(describeFault(validateFault({ type: 'http_status', toxicity: 0.25 })), 'answers 503 (25%)');
    assert.equal(describeFault(validateFault({ type: 'http_abort' })), 'aborts requests');
  });
});

describe('fault types: a file each', () => {
  it('each type acts on what its list says: connections, or requests in HTTP mode', () => {
    const on = (types: readonly FaultType[]): string[] => types.map((type) => FAULT_TYPE_DEFINITIONS[type].on);
    assert.deepEqual(on(CONNECTION_FAULT_TYPES), CONNECTION_FAULT_TYPES.map(() => 'connection'));
    assert.deepEqual(on(REQUEST_FAULT_TYPES), REQUEST_FAULT_TYPES.map(() => 'request'));
    assert.deepEqual(Object.keys(FAULT_TYPE_DEFINITIONS).sort(), [...FAULT_TYPES].sort());
  });
});
