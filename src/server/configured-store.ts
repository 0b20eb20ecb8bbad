import { openRedisStore } from '../redis-store/redis-store.ts';
import { openSqliteStore, type Store } from '../sandbox/index.ts';
import type { ServerConfig } from './config.ts';

/** Where the configured store lives, for messages: never the Redis password. */
export function describeStore(config: ServerConfig): string {
  if (!config.sandboxRedisUrl) return `SANDBOX_DATA=${JSON.stringify(config.sandboxData)}`;
  const url = new URL(config.sandboxRedisUrl);
  return `SANDBOX_REDIS_URL=${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Opens the store the configuration names: Redis when SANDBOX_REDIS_URL is set (instances sharing
 * it behave as one sandbox), else the embedded sqlite file at SANDBOX_DATA.
 */
export async function openConfiguredStore(
  config: ServerConfig,
  log: (fields: Record<string, unknown>) => void = () => {},
  /** How long to wait for Redis to answer before giving up this attempt; default 10 s. */
  connectTimeoutMs?: number,
): Promise<Store> {
  if (!config.sandboxRedisUrl) return openSqliteStore(config.sandboxData);
  return openRedisStore({ url: config.sandboxRedisUrl, log: (event) => log({ ...event }), connectTimeoutMs });
}

/**
 * True for a store error that waiting cannot fix: Redis refused the credentials or the database
 * (a wrong URL), as opposed to a Redis that is down or not up yet, which the server waits for.
 */
export function isFatalStoreError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username|DB index is out of range|invalid DB index/i.test(
    message,
  );
}
