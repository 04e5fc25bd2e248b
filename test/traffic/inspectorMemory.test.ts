// The inspector's memory, without sockets: requests with big heads recorded while watched keep the
// heap within the 8 MB budget of the details, however many come.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Backend } from '../../src/balancer/backend';
import { DETAILS_BUDGET_BYTES } from '../../src/balancer/traffic/recentEntries';
import { TrafficRecorder } from '../../src/balancer/traffic/trafficRecorder';
import type { BalancerEvents, RequestInfo } from '../../src/balancer';
import { Inspection } from '../../src/balancer/http/inspection';
import { parseRequestHead } from '../../src/balancer/http/requestHead';

const MB = 1024 * 1024;

/** A head of about `bytes`: its first line, then header lines of 100 bytes each. */
function head(first: string, bytes: number, n: number): string {
  let text = `${first}\r\nHost: shop.test\r\n`;
  for (let i = 0; text.length < bytes; i++) text += `X-Header-${i}: ${`${n}-${i}-`.padEnd(84, 'v')}\r\n`;
  return `${text}\r\n`;
}

/** A request as the engine records it: parsed from its bytes, its answer's head as the client got it. */
function request(n: number, requestBytes: number, answerBytes: number): RequestInfo {
  const bytes = Buffer.from(head(`GET /item/${n} HTTP/1.1`, requestBytes, n), 'latin1');
  const parsed = parseRequestHead(bytes);
  if (!('head' in parsed)) throw new Error('the test head does not parse');
  const inspection = new Inspection(parsed.head, bytes.toString('latin1', 0, parsed.head.headBytes - 4));
  inspection.chose(false, undefined);
  inspection.connected(true, head(`GET /item/${n} HTTP/1.1`, 200, n));
  inspection.sent();
  inspection.answered(head('HTTP/1.1 200 OK', answerBytes, n));
  const details = inspection.details(requestBytes, answerBytes + 12, undefined);
  return { client: '127.0.0.1:40000', backend: '127.0.0.1:8101', method: 'GET', target: `/item/${n}`, status: 200, durationMs: 1.3, bytesIn: requestBytes, bytesOut: answerBytes + 12, outcome: 'answered', details };
}

describe('the inspector\'s memory, on the heap', function () {
  this.timeout(60_000);
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  function recorded(count: number, requestBytes: number, answerBytes: number): { grownBytes: number; weight: number; kept: number } {
    const events = new EventEmitter<BalancerEvents>();
    const recorder = new TrafficRecorder(events, () => [new Backend({ host: '127.0.0.1', port: 8101 })], () => 'http');
    const stop = recorder.watch();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let n = 0; n < count; n++) events.emit('request', request(n, requestBytes, answerBytes));
    gc();
    const grownBytes = process.memoryUsage().heapUsed - before;
    const result = { grownBytes, weight: recorder.detailsWeight, kept: recorder.detailed().length };
    stop();
    return result;
  }

  it('100,000 requests with 4 KB heads each way keep the last 500, within the 8 MB budget', () => {
    const { grownBytes, weight, kept } = recorded(100_000, 4096, 4096);
    assert.equal(kept, 500);
    assert.ok(weight <= DETAILS_BUDGET_BYTES, `${weight} bytes counted`);
    assert.ok(grownBytes < 8 * MB, `the heap grew by ${(grownBytes / MB).toFixed(1)} MB`);
    console.log(`      (heap +${(grownBytes / MB).toFixed(1)} MB for 500 requests kept of 100,000; ${(weight / MB).toFixed(1)} MB counted)`);
  });

  it('answers with 60 KB heads fill the budget: the oldest details go, and the heap stays near 8 MB', () => {
    const { grownBytes, weight, kept } = recorded(3000, 1024, 60 * 1024);
    assert.ok(weight <= DETAILS_BUDGET_BYTES, `${weight} bytes counted`);
    assert.ok(kept < 500 && kept > 100, `${kept} requests kept with their details`);
    assert.ok(grownBytes < 12 * MB, `the heap grew by ${(grownBytes / MB).toFixed(1)} MB`);
    console.log(`      (heap +${(grownBytes / MB).toFixed(1)} MB with ${kept} requests' details kept, ${(weight / MB).toFixed(1)} MB counted)`);
  });
});
