import { apiProfile, describeDuration } from '../../lib/api-profile.ts';
import { accessTokenLifetime, sandboxDefaultLifetime } from '../../lib/sandbox-contract/bounds.ts';

export { authMethodLabels } from '../playground-shared/auth-method-labels.ts';

/** The default lifetime: production's (the API profile's), as far as the sandbox allows. */
export const defaultLifetime = sandboxDefaultLifetime(apiProfile);

/** The token lifetimes offered at registration, in seconds: short ones to watch expiry happen. */
export const lifetimeChoices: readonly number[] = [
  ...new Set([accessTokenLifetime.min, 30, 60, 300, accessTokenLifetime.max, defaultLifetime]),
].sort((a, b) => a - b);

/** "30 seconds (watch it expire)". */
export function lifetimeLabel(seconds: number): string {
  return seconds <= 60 ? `${describeDuration(seconds)} (watch it expire)` : describeDuration(seconds);
}

/** A secret as the page shows it until the reader asks to see it: one bullet a character, at most 24. */
export function maskedSecret(secret: string): string {
  return '•'.repeat(Math.min(secret.length, 24));
}

/** "expires in 23 h 59 min" from the client's `client_secret_expires_at`. */
export function describeClientExpiry(secretExpiresAt: number | undefined, nowMs: number): string | undefined {
  if (secretExpiresAt === undefined || secretExpiresAt === 0) return undefined;
  const left = secretExpiresAt * 1000 - nowMs;
  if (left <= 0) return 'expired: register a new client';
  const minutes = Math.floor(left / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `expires in ${hours} h ${minutes % 60} min` : `expires in ${Math.max(1, minutes)} min`;
}
