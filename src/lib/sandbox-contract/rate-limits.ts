/**
 * The sandbox's rate limits, stated once: the sandbox enforces these and the guide quotes them
 * (errors and sandbox reference pages import this file), so the numbers a reader sees are the
 * numbers the server applies.
 */

/** How many events one key (an address, a client) may spend, and how fast the allowance comes back. */
export interface RateLimitRule {
  /** The burst: events allowed at once from a fresh key. */
  capacity: number;
  /** Seconds for an empty allowance to refill completely. */
  refillSeconds: number;
}

/**
 * The sandbox brief asks for room for at least 30 registrations and 20 failed authentications a
 * minute from one address; these allow twice and one and a half times that, since a classroom
 * behind one NAT address shares them. Failed authentications are counted per (address, client),
 * so guessing one client's secret is cut off while the other clients used from the same address
 * keep working, and per address with a ten times higher bound, against guessing spread over many
 * clients.
 *
 * Successful operations are limited per client, far above what a reader does by hand or with a
 * sample program (a token every few seconds), but far below what a loop can do: token issuance
 * costs a signature, and every revocation a durable write and a row kept until the token expires,
 * so revocations per client also bound the revocation storage one client can fill (at most
 * capacity + 60 minutes × 60 a minute rows, since a token lives an hour at most).
 */
export const sandboxRateLimits = {
  registration: { capacity: 60, refillSeconds: 60 },
  failedAuthentication: { capacity: 30, refillSeconds: 60 },
  failedAuthenticationPerAddress: { capacity: 300, refillSeconds: 60 },
  tokenIssuancePerClient: { capacity: 600, refillSeconds: 60 },
  revocationPerClient: { capacity: 60, refillSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

/** The events a rule allows per minute, refilled continuously (what the guide quotes). */
export function perMinute(rule: RateLimitRule): number {
  return Math.round((rule.capacity * 60) / rule.refillSeconds);
}

/** The `error_description` of a 429: the refusal, then the wait, in words that agree in number. */
export function retryAfterDescription(refusal: string, seconds: number): string {
  return `${refusal}. Retry after ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
}
