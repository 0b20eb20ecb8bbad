import { apiProfile, describeDuration } from '../../lib/api-profile.ts';
import { accessTokenLifetime, sandboxDefaultLifetime } from '../../lib/sandbox-contract/bounds.ts';
import type { ClientSecretAuthMethod } from '../../lib/sandbox-contract/client-auth-methods.ts';

export { authMethodLabels } from '../playground-shared/auth-method-labels.ts';
import type { PlaygroundCredentials } from '../playground-shared/playground-store.ts';

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

/** What the reader typed under "use my own". */
export interface OwnCredentialsInput {
  clientId: string;
  clientSecret: string;
  authMethod: ClientSecretAuthMethod;
  scopes: readonly string[];
}

/**
 * Checks pasted credentials: both present, no white space inside (a frequent copy-and-paste
 * accident; RFC 6749 §2.3.1's characters never include it in practice). Surrounding white space
 * is trimmed. Returns the credentials, or a sentence naming the field that is wrong.
 */
export function readOwnCredentials(
  input: OwnCredentialsInput,
): PlaygroundCredentials | { problem: string; field: 'clientId' | 'clientSecret' } {
  const clientId = input.clientId.trim();
  const clientSecret = input.clientSecret.trim();
  if (clientId === '') return { problem: 'Enter the client ID.', field: 'clientId' };
  if (/\s/.test(clientId))
    return { problem: 'The client ID contains white space: copy it again.', field: 'clientId' };
  if (clientSecret === '') return { problem: 'Enter the client secret.', field: 'clientSecret' };
  if (/\s/.test(clientSecret))
    return { problem: 'The client secret contains white space: copy it again.', field: 'clientSecret' };
  return { clientId, clientSecret, source: 'own', authMethod: input.authMethod, scopes: [...input.scopes] };
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
