// Every open side (client or backend) of a balancer's connections, so that stop can wait for them or close them.
import type { DataPath, Side } from './dataPath';

export class OpenSides<S extends Side> {
  private readonly sides = new Set<S>();
  private whenEmpty: Array<() => void> = [];

  constructor(private readonly path: DataPath<S>) {}

  get size(): number {
    return this.sides.size;
  }

  /** Counts `side` as open until `delete`: for a caller that listens to its close anyway. */
  add(side: S): void {
    this.sides.add(side);
  }

  delete(side: S): void {
    this.sides.delete(side);
    if (this.sides.size === 0) {
      for (const resolve of this.whenEmpty.splice(0)) resolve();
    }
  }

  /** Counts `side` as open until it closes. */
  track(side: S): void {
    this.sides.add(side);
    this.path.onClose(side, () => this.delete(side));
  }

  /** Resolves once nothing is open. */
  allClosed(): Promise<void> {
    if (this.sides.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenEmpty.push(resolve));
  }

  abortAll(): void {
    for (const side of this.sides) this.path.abort(side);
  }
}
