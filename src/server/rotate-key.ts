/**
 * `npm run rotate-key`: rotates the sandbox's signing key in the store named by SANDBOX_DATA,
 * whether or not a server is running on it. A running server picks the new key up at its next
 * maintenance (within a minute, on the next request); the old key stays in the JWKS until every
 * token it can have signed has expired, so no issued token stops verifying.
 *
 * `npm run rotate-key -- --withdraw-now` is the incident procedure for a leaked key (or store):
 * every earlier key leaves the store at once, and the tokens they signed stop verifying at the
 * running server's next maintenance (within a minute), or at once when it is restarted.
 */
import { existsSync } from 'node:fs';
import { rotateSigningKeyInStore } from '../sandbox/sandbox.ts';
import { openSqliteStore } from '../sandbox/store/sqlite-store.ts';
import { ConfigError, readServerConfig } from './config.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const options = process.argv.slice(2);
const unknown = options.filter((option) => option !== '--withdraw-now');
if (unknown.length > 0) fail(`Unknown option ${unknown[0]}. Usage: npm run rotate-key [-- --withdraw-now]`);
const withdrawNow = options.includes('--withdraw-now');

let dataPath: string;
try {
  dataPath = readServerConfig().sandboxData;
} catch (error) {
  if (error instanceof ConfigError) fail(`Configuration error: ${error.message}`);
  throw error;
}
if (dataPath === ':memory:')
  fail(
    'SANDBOX_DATA is :memory:, which keeps no key to rotate. Set SANDBOX_DATA to the store of the server to rotate.',
  );
if (!existsSync(dataPath))
  fail(
    `No sandbox store at SANDBOX_DATA=${JSON.stringify(dataPath)}: start the server once to create it, or set SANDBOX_DATA.`,
  );

const store = openSqliteStore(dataPath);
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
      store: dataPath,
    }),
  );
} finally {
  await store.close();
}
