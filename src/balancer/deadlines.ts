// Many deadlines on one timer. A Node timer per connection (to give up connecting) is dear
// (docs/benchmarks.md); connect timeouts all have the same length, so a list in the order they
// were set is a list in the order they fall due.
import { realClock, type Clock, type Timer } from './clock';

export class Deadline {
  prev?: Deadline;
  next?: Deadline;
  pending = true;

  constructor(
    readonly at: number,
    readonly expire: () => void,
  ) {}
}

/**
 * Deadlines in due order, with one timer for the earliest. Setting one is O(1) while timeouts keep
 * their length (after one is shortened, new deadlines are sorted in from the end); cancelling is
 * O(1). The timer is not moved when the earliest is cancelled: it fires, finds nothing due, and is
 * set for the new earliest. It does not keep the process alive by itself.
 */
export class Deadlines {
  private first?: Deadline;
  private last?: Deadline;
  private timer?: Timer;
  private timerAt = Infinity;

  constructor(
    /** What the deadlines are measured and waited on with. */
    readonly clock: Clock = realClock,
  ) {}

  /** Calls `expire` in `ms` milliseconds, unless cancelled before. */
  set(ms: number, expire: () => void): Deadline {
    const deadline = new Deadline(this.clock.now() + ms, expire);
    let before = this.last;
    while (before && before.at > deadline.at) before = before.prev;
    deadline.prev = before;
    deadline.next = before ? before.next : this.first;
    if (deadline.next) deadline.next.prev = deadline;
    else this.last = deadline;
    if (before) before.next = deadline;
    else this.first = deadline;
    if (deadline.at < this.timerAt) this.schedule(deadline.at);
    return deadline;
  }

  cancel(deadline: Deadline): void {
    if (!deadline.pending) return;
    deadline.pending = false;
    if (deadline.prev) deadline.prev.next = deadline.next;
    else this.first = deadline.next;
    if (deadline.next) deadline.next.prev = deadline.prev;
    else this.last = deadline.prev;
    deadline.prev = deadline.next = undefined;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    while (this.first && this.first.at <= now) {
      const due = this.first;
      this.cancel(due);
      due.expire();
    }
    if (this.first) this.schedule(this.first.at);
  };

  private schedule(at: number): void {
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimer(this.fire, Math.max(1, Math.ceil(at - this.clock.now())));
  }
}
