// Backend selection strategies. Each picks among the backends that `eligible` accepts, by their
// weights (1 unless configured), and source hash by the client's address.
import type { Backend } from './backend';
import type { StrategyName } from './types';

export interface Strategy {
  readonly name: StrategyName;
  /** Picks by the client's address (`source`), which the caller then gives. */
  readonly bySource?: boolean;
  pick(backends: readonly Backend[], eligible: (backend: Backend) => boolean, source?: string): Backend | undefined;
}

const weighted = (backends: readonly Backend[]): boolean => backends.some((backend) => backend.weight !== 1);

/**
 * Equal weights: walks the configured list from a cursor, so the rotation stays fair when backends
 * go down, come back, or are added and removed. Other weights: nginx's smooth weighted round robin,
 * which spreads a backend's turns (3:1 gives A A B A, not A A A B).
 */
class RoundRobin implements Strategy {
  readonly name: StrategyName = 'round-robin';
  private cursor = 0;
  /** Smooth weighted round robin's running score of each backend. */
  private readonly scores = new WeakMap<Backend, number>();

  pick(backends: readonly Backend[], eligible: (backend: Backend) => boolean): Backend | undefined {
    if (weighted(backends)) return this.smoothWeighted(backends, eligible);
    for (let i = 0; i < backends.length; i++) {
      const index = (this.cursor + i) % backends.length;
      if (eligible(backends[index])) {
        this.cursor = index + 1;
        return backends[index];
      }
    }
    return undefined;
  }

  /** Each eligible backend's score grows by its weight; the highest is picked and loses the total. */
  private smoothWeighted(backends: readonly Backend[], eligible: (backend: Backend) => boolean): Backend | undefined {
    let total = 0;
    let best: Backend | undefined;
    let bestScore = 0;
    for (const backend of backends) {
      if (!eligible(backend)) continue;
      const score = (this.scores.get(backend) ?? 0) + backend.weight;
      this.scores.set(backend, score);
      total += backend.weight;
      if (!best || score > bestScore) {
        best = backend;
        bestScore = score;
      }
    }
    if (best) this.scores.set(best, bestScore - total);
    return best;
  }
}

/**
 * Fewest busy connections (in HTTP mode, requests in progress) for its weight; ties rotate like
 * round robin so idle backends share the load.
 */
class LeastConnections implements Strategy {
  readonly name: StrategyName = 'least-connections';
  private cursor = 0;

  pick(backends: readonly Backend[], eligible: (backend: Backend) => boolean): Backend | undefined {
    let best: Backend | undefined;
    let bestIndex = 0;
    for (let i = 0; i < backends.length; i++) {
      const index = (this.cursor + i) % backends.length;
      const backend = backends[index];
      if (eligible(backend) && (!best || backend.stats.busy * best.weight < best.stats.busy * backend.weight)) {
        best = backend;
        bestIndex = index;
      }
    }
    if (best) this.cursor = bestIndex + 1;
    return best;
  }
}

class Random implements Strategy {
  readonly name: StrategyName = 'random';

  pick(backends: readonly Backend[], eligible: (backend: Backend) => boolean): Backend | undefined {
    return byWeight(backends.filter(eligible), Math.random());
  }
}

/** The client's address picks the backend: the same one while the backends stay as they are (HAProxy's `balance source`). */
class SourceHash implements Strategy {
  readonly name: StrategyName = 'source-hash';
  readonly bySource = true;

  pick(backends: readonly Backend[], eligible: (backend: Backend) => boolean, source = ''): Backend | undefined {
    return byWeight(backends.filter(eligible), hash(source) / 0x100000000);
  }
}

/** The candidate at `fraction` (0 to 1) of their weights laid end to end. */
function byWeight(candidates: readonly Backend[], fraction: number): Backend | undefined {
  let total = 0;
  for (const backend of candidates) total += backend.weight;
  let point = fraction * total;
  for (const backend of candidates) {
    point -= backend.weight;
    if (point < 0) return backend;
  }
  return candidates.at(-1);
}

/** FNV-1a, 32 bits: cheap, and spreads addresses that differ in one byte. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193);
  return value >>> 0;
}

export function createStrategy(name: StrategyName): Strategy {
  switch (name) {
    case 'round-robin':
      return new RoundRobin();
    case 'least-connections':
      return new LeastConnections();
    case 'random':
      return new Random();
    case 'source-hash':
      return new SourceHash();
  }
}
