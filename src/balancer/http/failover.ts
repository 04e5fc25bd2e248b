// A request's backends that could not be connected: left out of its next choice, and named when
// none is left (and in the inspector). Made only when a connection fails.
import type { Backend } from '../backend';

export class Failover {
  readonly tried = new Set<Backend>();
  /** Each backend tried and why it failed, oldest first. */
  readonly attempts: Array<{ backend: string; error: string }> = [];

  add(backend: Backend, error: Error): void {
    this.tried.add(backend);
    this.attempts.push({ backend: backend.id, error: error.message });
  }

  /** Why the request got no backend, for its 502. */
  get why(): string {
    return `all ${this.attempts.length} backend(s) tried failed: ${this.attempts.map(({ backend, error }) => `${backend}: ${error}`).join('; ')}`;
  }
}
