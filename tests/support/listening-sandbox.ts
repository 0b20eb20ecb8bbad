import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.ts';
import { createSiteServer } from '../../src/server/http-server.ts';
import { createStaticSite } from '../../src/server/static-files.ts';
import { freePort } from './free-port.ts';

/** The production server entry (node:http + sandbox + static site over an empty folder), listening for real. */
export interface ListeningSandbox {
  origin: string;
  port: number;
  sandbox: Sandbox;
  close(): Promise<void>;
}

/** Starts the real server on 127.0.0.1; `port` reuses one (a restart), otherwise a free one is found. */
export async function startListeningSandbox(
  options: Partial<SandboxOptions> & { port?: number } = {},
): Promise<ListeningSandbox> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const sandbox = await createSandbox({ ...options, issuer: origin });
  // These tests need no pages: the static site is an empty folder.
  const siteRoot = mkdtempSync(join(tmpdir(), 'empty-site-'));
  const site = createStaticSite(siteRoot);
  const server: Server = createSiteServer({ origin, sandbox, site });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    origin,
    port,
    sandbox,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
      rmSync(siteRoot, { recursive: true, force: true });
    },
  };
}

/** What POST /oauth/register answers (RFC 7591 §3.2.1), the fields tests use. */
export interface RegisteredClient {
  client_id: string;
  client_secret: string;
  token_endpoint_auth_method: string;
  scope: string;
  access_token_lifetime: number;
  grant_types: string[];
}

/** Registers a client over HTTP; throws with the answer when it is not 201. */
export async function registerClient(
  origin: string,
  metadata: Record<string, unknown> = {},
): Promise<RegisteredClient> {
  const response = await fetch(`${origin}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(metadata),
  });
  if (response.status !== 201)
    throw new Error(`POST /oauth/register answered HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as RegisteredClient;
}
