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
    list[0].stats.opened({ bytesRead: 0, bytesWritten: 0 });
    list[2].stats.opened({ bytesRead: 0, bytesWritten: 0 });
    assert.equal(createStrategy('least-connections').pick(list, all)?.spec.port, 8102);
  });

  it('least connections does not count connections idle in HTTP mode\'s keep-alive pool', () => {
    const list = backends(2);
    for (let i = 0; i < 3; i++) list[0].stats.opened({ bytesRead: 0, bytesWritten: 0 });
    for (let i = 0; i < 3; i++) list[0].stats.pooled(true);
    list[1].stats.opened({ bytesRead: 0, bytesWritten: 0 });
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

  describe('with weights', () => {
    const weighted = (...weights: number[]): Backend[] => weights.map((weight, i) => new Backend({ host: '127.0.0.1', port: 8101 + i, weight }));
    const picks = (strategy: ReturnType<typeof createStrategy>, list: Backend[], count: number, source?: (i: number) => string): Array<number | undefined> =>
      ports(Array.from({ length: count }, (_, i) => strategy.pick(list, all, source?.(i))));
    const tally = (picked: Array<number | undefined>): Record<string, number> => {
      const counts: Record<string, number> = {};
      for (const port of picked) counts[String(port)] = (counts[String(port)] ?? 0) + 1;
      return counts;
    };

    it('round robin spreads a heavier backend\'s turns, as nginx does: 3:1 gives A A B A', () => {
      assert.deepEqual(picks(createStrategy('round-robin'), weighted(3, 1), 8), [8101, 8101, 8102, 8101, 8101, 8101, 8102, 8101]);
    });

    it('round robin gives 5:2:1 exactly over each cycle of 8', () => {
      assert.deepEqual(tally(picks(createStrategy('round-robin'), weighted(5, 2, 1), 80)), { 8101: 50, 8102: 20, 8103: 10 });
    });

    it('least connections compares connections divided by weight', () => {
      const list = weighted(3, 1);
      for (let i = 0; i < 2; i++) list[0].stats.opened({ bytesRead: 0, bytesWritten: 0 });
      list[1].stats.opened({ bytesRead: 0, bytesWritten: 0 });
      assert.equal(createStrategy('least-connections').pick(list, all)?.spec.port, 8101, '2/3 is less than 1/1');
    });

    it('random picks by weight', () => {
      const counts = tally(picks(createStrategy('random'), weighted(3, 1), 8000));
      assert.ok(counts[8101] > 5600 && counts[8101] < 6400, JSON.stringify(counts));
    });
  });

  describe('source hash', () => {
    const strategy = createStrategy('source-hash');

    it('a client address always gets the same backend while the pool is unchanged', () => {
      const list = backends(3);
      const first = strategy.pick(list, all, '10.1.2.3');
      for (let i = 0; i < 20; i++) assert.equal(strategy.pick(list, all, '10.1.2.3'), first);
    });

    it('addresses spread over the backends', () => {
      const list = backends(3);
      const counts = new Map<number | undefined, number>();
      for (let i = 0; i < 300; i++) {
        const port = strategy.pick(list, all, `192.168.${i >> 8}.${i & 255}`)?.spec.port;
        counts.set(port, (counts.get(port) ?? 0) + 1);
      }
      assert.equal(counts.size, 3);
      for (const count of counts.values()) assert.ok(count > 60, JSON.stringify([...counts]));
    });

    it('a backend that is not eligible sends its clients to the others', () => {
      const list = backends(3);
      const withoutFirst = (backend: Backend): boolean => backend !== list[0];
      const after = Array.from({ length: 50 }, (_, i) => strategy.pick(list, withoutFirst, `10.0.0.${i}`));
      assert.ok(after.every((backend) => backend !== list[0]));
    });
  });
});
