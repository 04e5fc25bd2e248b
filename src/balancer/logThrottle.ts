// Keeps a repeating log line to one per interval, counting what it held back.

export class LogThrottle {
  private lastAt = -Infinity;
  private suppressed = 0;

  constructor(private readonly intervalMs: number) {}

  /**
   * Returns how many occurrences were held back since the last line when a line may be written
   * now, or undefined when this occurrence should be held back.
   */
  take(now = Date.now()): number | undefined {
    if (now - this.lastAt < this.intervalMs) {
      this.suppressed++;
      return undefined;
    }
    const held = this.suppressed;
    this.lastAt = now;
    this.suppressed = 0;
    return held;
  }
}

/** One throttle per kind of repeating warning, so that one kind cannot hide another. */
export class ThrottledWarnings {
  private readonly throttles = new Map<string, LogThrottle>();

  constructor(
    private readonly intervalMs: number,
    private readonly write: (message: string) => void,
  ) {}

  /** `message` is only built when the line is written: callers may be on a hot path. */
  warn(kind: string, message: () => string): void {
    let throttle = this.throttles.get(kind);
    if (!throttle) {
      throttle = new LogThrottle(this.intervalMs);
      this.throttles.set(kind, throttle);
    }
    const held = throttle.take();
    if (held !== undefined) this.write(held > 0 ? `${message()} (${held} more since the last report)` : message());
  }
}
