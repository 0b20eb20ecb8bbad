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
): Promise<Store> {
  if (!config.sandboxRedisUrl) return openSqliteStore(config.sandboxData);
  return openRedisStore({ url: config.sandboxRedisUrl, log: (event) => log({ ...event }) });
}
