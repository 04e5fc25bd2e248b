import assert from 'node:assert/strict';
import { Backend } from '../../src/balancer/backend';
import { createStrategy } from '../../src/balancer/strategies';

const backends = (count: number): Backend[] => Array.from({ length: count }, (_, i) => new Backend({ host: '127.0.0.1', port: 8101 + i }));
const ports = (picked: Array<Backend | undefined>): Array<number | undefined> => picked.map((backend) => backend?.spec.port);
const all = (): boolean => true;

describe('strategies', () => {
  it('round robin goes through the backends in order, again and again', () => {
    const list = backends(3);
    const strategy = createStrategy('round-robin');
    assert.deepEqual(ports(Array.from({ length: 7 }, () => strategy.pick(list, all))), [8101, 8102, 8103, 8101, 8102, 8103, 8101]);
  });

  it('round robin skips a backend that is not eligible and keeps its turn order', () => {
    const list = backends(3);
    const strategy = createStrategy('round-robin');
    const notSecond = (backend: Backend): boolean => backend !== list[1];
    assert.deepEqual(ports(Array.from({ length: 4 }, () => strategy.pick(list, notSecond))), [8101, 8103, 8101, 8103]);
  });

  it('least connections picks the backend with the fewest open connections', () => {
    const list = backends(3);
    list[0].connections.add({ bytesRead: 0, bytesWritten: 0 });
    list[2].connections.add({ bytesRead: 0, bytesWritten: 0 });
    assert.equal(createStrategy('least-connections').pick(list, all)?.spec.port, 8102);
  });

  it('least connections does not count connections idle in HTTP mode\'s keep-alive pool', () => {
    const list = backends(2);
    for (let i = 0; i < 3; i++) list[0].connections.add({ bytesRead: 0, bytesWritten: 0 });
    list[0].pooled = 3;
    list[1].connections.add({ bytesRead: 0, bytesWritten: 0 });
    assert.equal(createStrategy('least-connections').pick(list, all)?.spec.port, 8101, 'three idle count less than one busy');
  });

  it('least connections rotates among equally loaded backends', () => {
    const list = backends(3);
    const strategy = createStrategy('least-connections');
    assert.deepEqual(ports(Array.from({ length: 4 }, () => strategy.pick(list, all))), [8101, 8102, 8103, 8101]);
  });

  it('random picks only eligible backends, each of them', () => {
    const list = backends(3);
    const strategy = createStrategy('random');
    const picked = new Set(ports(Array.from({ length: 200 }, () => strategy.pick(list, (backend) => backend !== list[0]))));
    assert.deepEqual([...picked].sort(), [8102, 8103]);
  });

  it('every strategy picks nothing when no backend is eligible', () => {
    for (const name of ['round-robin', 'least-connections', 'random'] as const) {
      assert.equal(createStrategy(name).pick(backends(2), () => false), undefined, name);
    }
  });
});
