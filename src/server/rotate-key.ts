/**
 * `npm run rotate-key`: rotates the sandbox's signing key in the store the configuration names
 * (SANDBOX_REDIS_URL when set, else the sqlite file SANDBOX_DATA), whether or not servers are
 * running on it. On Redis, every running instance hears of it at once and signs with the new key;
 * a server on the sqlite file picks it up at its next maintenance (within a minute, on the next
 * request). The old key stays in the JWKS until every token it can have signed has expired, so no
 * issued token stops verifying.
 *
 * `npm run rotate-key -- --withdraw-now` is the incident procedure for a leaked key (or store):
 * every earlier key leaves the store at once, and the tokens they signed stop verifying at once on
 * Redis (every instance hears of it), or at a sqlite server's next maintenance (within a minute),
 * or at once when it is restarted.
 */
import { existsSync } from 'node:fs';
import { rotateSigningKeyInStore } from '../sandbox/index.ts';
import { ConfigError, readServerConfig, type ServerConfig } from './config.ts';
import { describeStore, openConfiguredStore } from './configured-store.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const options = process.argv.slice(2);
const unknown = options.filter((option) => option !== '--withdraw-now');
if (unknown.length > 0) fail(`Unknown option ${unknown[0]}. Usage: npm run rotate-key [-- --withdraw-now]`);
const withdrawNow = options.includes('--withdraw-now');

let config: ServerConfig;
try {
  config = readServerConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(`Configuration error: ${error.message}`);
  throw error;
}
const dataPath = config.sandboxData;
if (!config.sandboxRedisUrl && dataPath === ':memory:')
  fail(
    'SANDBOX_DATA is :memory:, which keeps no key to rotate. Set SANDBOX_DATA to the store of the server to rotate.',
  );
if (!config.sandboxRedisUrl && !existsSync(dataPath))
  fail(
    `No sandbox store at SANDBOX_DATA=${JSON.stringify(dataPath)}: start the server once to create it, or set SANDBOX_DATA.`,
  );

let store;
try {
  store = await openConfiguredStore(config);
} catch (error) {
  fail(
    `Cannot open the sandbox store ${describeStore(config)}: ${error instanceof Error ? error.message : String(error)}`,
  );
}
try {
  const { retiredKid, activeKid, withdrawnKids } = await rotateSigningKeyInStore(store, undefined, {
    withdrawNow,
  });
  console.log(
    JSON.stringify({
      level: 'info',
      message: withdrawNow ? 'signing key rotated, earlier keys withdrawn' : 'signing key rotated',
      retired_kid: retiredKid,
      active_kid: activeKid,
      ...(withdrawNow ? { withdrawn_kids: withdrawnKids } : {}),
      store: describeStore(config),
    }),
  );
} finally {
  await store.close();
}
