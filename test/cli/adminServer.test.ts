// The admin endpoint when what it serves fails: an answer naming the failure, and it serves on.
import assert from 'node:assert/strict';
import { startAdminServer } from '../../src/cli/adminServer';
import { httpGet } from '../support/http';
import { Cleanup } from '../support/net';

describe('admin endpoint: a route that throws', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('answers 500 naming the error, and the endpoint (and this process) serves the next request', async () => {
    let failing = true;
    const snapshot = () => {
      if (failing) throw new Error('the statistics are out of reach');
      return { frontend: { host: '127.0.0.1', port: 1 }, backends: [] } as never;
    };
    const notUsed = (): never => {
      throw new Error('not used');
    };
    const pool = {
      name: 'default',
      statistics: { snapshot, faults: notUsed, addFault: notUsed, removeFault: notUsed, clearFaults: notUsed },
      traffic: { record: () => Promise.reject(new Error('the traffic record is out of reach')), detailed: notUsed, entry: notUsed },
    };
    const admin = await startAdminServer(() => [pool], { host: '127.0.0.1', port: 0 });
    cleanup.add(() => admin.close());
    const url = `http://127.0.0.1:${admin.address.port}`;

    const stats = await httpGet(`${url}/stats`);
    assert.equal(stats.status, 500);
    assert.deepEqual(JSON.parse(stats.body), { error: 'The admin endpoint failed: the statistics are out of reach' });
    const traffic = await httpGet(`${url}/traffic`);
    assert.deepEqual([traffic.status, JSON.parse(traffic.body).error], [500, 'The admin endpoint failed: the traffic record is out of reach']);

    failing = false;
    assert.equal((await httpGet(`${url}/stats`)).status, 200);
  });
});
