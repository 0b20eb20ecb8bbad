/** The sandbox's source of time, injectable so tests can freeze it. */
export interface Clock {
  /** Milliseconds since the Unix epoch, like `Date.now()`. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Seconds since the epoch (a JWT NumericDate, RFC 7519 §2), rounded down. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
