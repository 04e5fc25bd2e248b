import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/args';
import { parseFaultSpec } from '../../src/cli/faultSpec';

const BACKENDS = [
  { host: '127.0.0.1', port: 8101 },
  { host: '127.0.0.1', port: 8102 },
  { host: '::1', port: 8103 },
];

const parse = (text: string, taken = new Map<string, Set<string>>()) => parseFaultSpec(text, BACKENDS, taken);

function refused(text: string, message: string, taken?: Map<string, Set<string>>): void {
  assert.throws(() => parse(text, taken), (error: Error) => {
    assert.equal(error.name, 'ConfigError');
    assert.equal(error.message, message);
    return true;
  });
}

describe('--fault', () => {
  it('the examples of the documentation parse into faults for their backends', () => {
    assert.deepEqual(parse('8101:latency,latency=300,jitter=50'), {
      backend: '127.0.0.1:8101',
      fault: { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 300, jitter: 50 } },
    });
    assert.equal(parse('8102:reset_peer,toxicity=0.3').fault.toxicity, 0.3);
    assert.deepEqual(parse('[::1]:8103:bandwidth,rate=64,stream=upstream,name=slow-up').fault, {
      name: 'slow-up',
      type: 'bandwidth',
      stream: 'upstream',
      toxicity: 1,
      attributes: { rate: 64 },
    });
  });

  it('request faults parse with their status and toxicity, and are named by their type', () => {
    assert.deepEqual(parse('8101:http_status,status=500,toxicity=0.2').fault, { name: 'http_status', type: 'http_status', stream: 'downstream', toxicity: 0.2, attributes: { status: 500 } });
    assert.equal(parse('8102:http_abort').fault.name, 'http_abort');
    refused('8101:http_status,status=700', 'Invalid --fault "8101:http_status,status=700": invalid http_status status 700: expected a whole number from 200 to 599.');
  });

  it('times may carry a unit; a bare number is toxiproxy\'s unit', () => {
    assert.equal(parse('8101:latency,latency=2s').fault.attributes.latency, 2000);
    assert.equal(parse('8101:latency,latency=300').fault.attributes.latency, 300);
    assert.equal(parse('8101:slicer,average_size=10,delay=5ms').fault.attributes.delay, 5000, 'slicer delays are in µs');
    assert.equal(parse('8101:slicer,average_size=10,delay=20').fault.attributes.delay, 20);
  });

  it('two faults of one backend may not share a name', () => {
    const taken = new Map<string, Set<string>>();
    parse('8101:latency,latency=1', taken);
    refused('8101:latency,latency=2', 'Invalid --fault "8101:latency,latency=2": the backend already has a fault named "latency_downstream": remove it first, or give another name.', taken);
    assert.equal(parse('8102:latency,latency=2', taken).fault.name, 'latency_downstream');
  });

  it('each kind of bad spec is refused, naming the bad part', () => {
    refused('8101', 'Invalid --fault "8101": expected BACKEND:TYPE, such as 8101:latency.');
    refused('8101:', 'Invalid --fault "8101:": the fault type after "8101:" is missing: expected one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, http_status, http_abort.');
    refused('8101:lag', 'Invalid --fault "8101:lag": unknown fault type "lag": expected one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, http_status, http_abort.');
    refused('8101:latency,delay=5', 'Invalid --fault "8101:latency,delay=5": unknown key "delay" for latency: expected latency, jitter, stream, toxicity, name.');
    refused('8101:latency,latency=-5', 'Invalid --fault "8101:latency,latency=-5": invalid latency latency -5: expected at least 0 (ms).');
    refused('8101:latency,latency=soon', 'Invalid --fault "8101:latency,latency=soon": invalid latency latency "soon": expected a number of ms, or a time such as 300ms or 2s.');
    refused('8101:reset_peer,toxicity=2', 'Invalid --fault "8101:reset_peer,toxicity=2": invalid toxicity 2: expected a number from 0 to 1.');
    refused('8101:timeout,timeout=1,stream=both', 'Invalid --fault "8101:timeout,timeout=1,stream=both": unknown stream "both": expected one of downstream, upstream.');
    refused('9999:timeout,timeout=1', 'Invalid --fault "9999:timeout,timeout=1": backend 127.0.0.1:9999 is not among the backends (-p 127.0.0.1:8101, 127.0.0.1:8102, [::1]:8103).');
    refused('8101:limit_data,bytes', 'Invalid --fault "8101:limit_data,bytes": "bytes" has no value: expected KEY=VALUE.');
    refused('8101:limit_data', 'Invalid --fault "8101:limit_data": the limit_data fault needs bytes (bytes).');
  });
});

describe('local-lb --fault, parsed with the other arguments', () => {
  it('is repeatable and reaches the balancer\'s options', () => {
    const command = parseArgs(['-f', '0', '-p', '8101,8102', '--fault', '8101:latency,latency=300', '--fault', '8102:reset_peer,toxicity=0.3']);
    assert.equal(command.kind, 'run');
    if (command.kind !== 'run') return;
    assert.deepEqual(command.options.pools[0].options.faults?.map(({ backend, fault }) => `${backend} ${fault.name}`), ['127.0.0.1:8101 latency_downstream', '127.0.0.1:8102 reset_peer_downstream']);
  });

  it('a fault for a backend not given with -p is refused', () => {
    assert.throws(() => parseArgs(['-f', '0', '-p', '8101', '--fault', '8102:timeout,timeout=1']), { name: 'ConfigError', message: /backend 127\.0\.0\.1:8102 is not among the backends/ });
  });
});
