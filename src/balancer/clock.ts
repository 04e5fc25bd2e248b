// Time as the engine reads it and waits on it: the real one, or a test's fake one, so that timing
// logic is tested without sleeping.

/** A timer as a clock hands it out: only given back to the same clock. */
export type Timer = object;

export interface Clock {
  /** Milliseconds that only go forward (`performance.now()` for the real clock). */
  now(): number;
  /** Calls `fire` in `ms` milliseconds; the timer does not keep the process alive. */
  setTimer(fire: () => void, ms: number): Timer;
  clearTimer(timer: Timer): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer: (fire, ms) => setTimeout(fire, ms).unref(),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};
