// Backend selection strategies. Each picks among the backends that `eligible` accepts.
import type { Backend } from './backend';
import type { StrategyName } from './types';

export interface Strategy {
  readonly name: StrategyName;
  pick(backends: readonly Backend[], eligible: (backend: Backend) => boolean): Backend | undefined;
}

/**
 * Walks the configured list from a cursor, so the rotation stays fair when backends go down,
 * come back, or are added and removed.
 */
class RoundRobin implements Strategy {
  readonly name: StrategyName = 'round-robin';
  private cursor = 0;

  pick(backends: readonly Backend[], eligible: (backend: Backend) => boolean): Backend | undefined {
    for (let i = 0; i < backends.length; i++) {
      const index = (this.cursor + i) % backends.length;
      if (eligible(backends[index])) {
        this.cursor = index + 1;
        return backends[index];
      }
    }
    return undefined;
  }
}

/** Fewest busy connections (in HTTP mode, requests in progress); ties rotate like round robin so idle backends share the load. */
class LeastConnections implements Strategy {
  readonly name: StrategyName = 'least-connections';
  private cursor = 0;

  pick(backends: readonly Backend[], eligible: (backend: Backend) => boolean): Backend | undefined {
    let best: Backend | undefined;
    let bestIndex = 0;
    for (let i = 0; i < backends.length; i++) {
      const index = (this.cursor + i) % backends.length;
      const backend = backends[index];
      if (eligible(backend) && (!best || backend.busy < best.busy)) {
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
    const candidates = backends.filter(eligible);
    return candidates[Math.floor(Math.random() * candidates.length)];
  }
}

export function createStrategy(name: StrategyName): Strategy {
  switch (name) {
    case 'round-robin':
      return new RoundRobin();
    case 'least-connections':
      return new LeastConnections();
    case 'random':
      return new Random();
  }
}
