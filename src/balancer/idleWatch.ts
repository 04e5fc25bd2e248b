// Closing a connection that moved no byte for a while, cheaply: a flag set as bytes move, looked at
// a few times per timeout, instead of a timer reset at every read.

/** Looked at this many times per timeout, so an idle connection closes within 1¼ timeouts. */
const CHECKS_PER_TIMEOUT = 4;

export class IdleWatch {
  /** Set by the owner whenever bytes move. */
  moved = false;
  private quietChecks = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(timeoutMs: number, expire: () => void) {
    this.timer = setInterval(() => {
      if (this.moved) {
        this.moved = false;
        this.quietChecks = 0;
      } else if (++this.quietChecks >= CHECKS_PER_TIMEOUT) {
        this.stop();
        expire();
      }
    }, Math.ceil(timeoutMs / CHECKS_PER_TIMEOUT)).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
