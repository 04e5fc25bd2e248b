// A clock that moves only when a test says so: timers fire in due order as it is advanced.
import type { Clock, Timer } from '../../src/balancer/clock';

interface FakeTimer {
  at: number;
  fire: () => void;
}

export class FakeClock implements Clock {
  private time = 1000;
  private timers = new Set<FakeTimer>();

  now(): number {
    return this.time;
  }

  setTimer(fire: () => void, ms: number): Timer {
    const timer = { at: this.time + ms, fire };
    this.timers.add(timer);
    return timer;
  }

  clearTimer(timer: Timer): void {
    this.timers.delete(timer as FakeTimer);
  }

  /** Timers set and not fired yet. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, firing each timer due on the way at its own time, earliest first (those they set too). */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      let next: FakeTimer | undefined;
      for (const timer of this.timers) if (timer.at <= until && (!next || timer.at < next.at)) next = timer;
      if (!next) break;
      this.timers.delete(next);
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
    this.time = until;
  }
}
