/** The longest safety margin: a token is refreshed at the latest 60 s before it expires. */
export const maxRefreshMarginMs = 60_000;

/**
 * The safety margin of short-lived tokens: half the lifetime. It must outlast a request's travel
 * and a server that counts whole seconds (its `exp` can come up to 1 s before `expires_in` says).
 */
export const refreshMarginShare = 0.5;

/**
 * When a token that expires at `expiresAtMs` after living `lifetimeMs` should be renewed: the
 * smaller of 60 s and half its lifetime before it expires. The reference client
 * (client-credentials-token-source.ts) and the playground's Auto-renew both use it.
 */
export function refreshMomentMs(expiresAtMs: number, lifetimeMs: number): number {
  return expiresAtMs - Math.min(maxRefreshMarginMs, lifetimeMs * refreshMarginShare);
}
