/**
 * `npm run rotate-key`: rotates the sandbox's signing key in the store named by SANDBOX_DATA,
 * whether or not a server is running on it. A running server picks the new key up at its next
 * maintenance (within a minute, on the next request); the old key stays in the JWKS until every
 * token it can have signed has expired, so no issued token stops verifying.
 */
import { existsSync } from 'node:fs';
import { rotateSigningKeyInStore } from '../sandbox/sandbox.ts';
import { openSqliteStore } from '../sandbox/store/sqlite-store.ts';
import { ConfigError, readServerConfig } from './config.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

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
  const { retiredKid, activeKid } = await rotateSigningKeyInStore(store);
  console.log(
    JSON.stringify({
      level: 'info',
      message: 'signing key rotated',
      retired_kid: retiredKid,
      active_kid: activeKid,
      store: dataPath,
    }),
  );
} finally {
  await store.close();
}
