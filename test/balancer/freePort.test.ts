// Free ports: what tests and "try another port" pick.
import assert from 'node:assert/strict';
import { findFreePorts, isPortFree } from '../../src/balancer/freePort';

describe('free ports', () => {
  it('ports found together are all different and all free', async () => {
    const ports = await findFreePorts(20);
    assert.equal(new Set(ports).size, 20);
    for (const port of ports) assert.ok(await isPortFree(port), `port ${port}`);
  });
});
