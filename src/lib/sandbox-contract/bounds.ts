/** The sandbox's bounds: how long its clients and tokens live (seconds), how much it reads. */

/**
 * `access_token_lifetime`, the sandbox's own registration field: a client chooses how long its
 * tokens live, from seconds (to watch expiry happen) up to an hour.
 */
export const accessTokenLifetime = { min: 5, max: 3600, default: 3600 } as const;

/** Sandbox clients are disposable: refused 24 h after registration (`client_secret_expires_at`), then swept. */
export const clientLifetimeSeconds = 24 * 60 * 60;

/** The largest request body the sandbox reads (16 KiB). No honest request comes near it. */
export const maxBodyBytes = 16 * 1024;
