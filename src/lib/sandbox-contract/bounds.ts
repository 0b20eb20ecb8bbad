import type { ApiProfile } from '../api-profile.ts';

/** The sandbox's bounds: how long its clients and tokens live (seconds), how much it reads. */

/**
 * `access_token_lifetime`, the sandbox's own registration field: a client chooses how long its
 * tokens live, from seconds (to watch expiry happen) up to an hour.
 */
export const accessTokenLifetime = { min: 5, max: 3600 } as const;

/**
 * The lifetime a sandbox client gets when it registers none: production's (the API profile's), so
 * the sandbox behaves like production, within the sandbox's bounds.
 */
export function sandboxDefaultLifetime(profile: Pick<ApiProfile, 'tokenLifetimeSeconds'>): number {
  return Math.min(Math.max(profile.tokenLifetimeSeconds, accessTokenLifetime.min), accessTokenLifetime.max);
}

/** Sandbox clients are disposable: refused 24 h after registration (`client_secret_expires_at`), then swept. */
export const clientLifetimeSeconds = 24 * 60 * 60;

/** The largest request body the sandbox reads (16 KiB). No honest request comes near it. */
export const maxBodyBytes = 16 * 1024;
