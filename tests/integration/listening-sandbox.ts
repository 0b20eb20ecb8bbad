import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.ts';
import { createSiteServer } from '../../src/server/http-server.ts';
import { createStaticSite } from '../../src/server/static-files.ts';

/** A free port on 127.0.0.1: listen on 0, read the port, close. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The production server entry (node:http + sandbox + static site over an empty folder), listening for real. */
export interface ListeningSandbox {
  origin: string;
  port: number;
  sandbox: Sandbox;
  close(): Promise<void>;
}

/** Starts the real server on 127.0.0.1; `port` reuses one (a restart), otherwise a free one is found. */
export async function startListeningSandbox(options: Partial<SandboxOptions> & { port?: number } = {}): Promise<ListeningSandbox> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const sandbox = await createSandbox({ ...options, issuer: origin });
  const site = createStaticSite(mkdtempSync(join(tmpdir(), 'empty-site-')));
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
    },
  };
}

/** Registers a client over HTTP. */
export async function registerClient(origin: string, metadata: Record<string, unknown> = {}) {
  const response = await fetch(`${origin}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
  if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
  return (await response.json()) as { client_id: string; client_secret: string; token_endpoint_auth_method: string; scope: string };
}
