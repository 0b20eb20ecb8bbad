import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox } from '../../src/sandbox/sandbox.ts';
import { createSiteServer } from '../../src/server/http-server.ts';
import { createStaticSite } from '../../src/server/static-files.ts';
import { freePort } from './production-server.ts';

/** A sandbox served over HTTP from this process, as `npm start` serves it. */
export interface InProcessSandbox {
  /** `http://127.0.0.1:PORT`: the issuer, and the base of every sandbox URL. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Starts the real sandbox behind the production node:http server on a free loopback port, with
 * an in-memory store, no rate limits, and an empty static site (these tests need no pages).
 */
export async function startInProcessSandbox(): Promise<InProcessSandbox> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const siteRoot = await mkdtemp(join(tmpdir(), 'token-lifecycle-site-'));
  const sandbox = await createSandbox({ issuer: origin, dataPath: ':memory:', rateLimit: false });
  const server = createSiteServer({ origin, sandbox, site: createStaticSite(siteRoot) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    origin,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
      await rm(siteRoot, { recursive: true, force: true });
    },
  };
}

/** What POST /oauth/register answers (RFC 7591 §3.2.1), the fields these tests use. */
export interface RegisteredClient {
  client_id: string;
  client_secret: string;
  scope: string;
  access_token_lifetime: number;
}

/** Registers a disposable client with `access_token_lifetime` seconds; throws with the answer when it is not 201. */
export async function registerClient(origin: string, accessTokenLifetime: number): Promise<RegisteredClient> {
  const response = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ client_name: 'token lifecycle test', access_token_lifetime: accessTokenLifetime }),
  });
  if (response.status !== 201) throw new Error(`POST /oauth/register answered HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as RegisteredClient;
}
