import { expect } from 'vitest';
import { encodeBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { sandboxPaths } from '../../../src/lib/sandbox-contract/index.ts';
import type { Clock } from '../../../src/sandbox/clock.ts';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/sandbox.ts';
import { openSqliteStore } from '../../../src/sandbox/store/sqlite-store.ts';
import type { Store } from '../../../src/sandbox/store/store.ts';

/** The issuer every unit test uses; requests may be addressed elsewhere, the issuer never follows them. */
export const issuer = 'http://localhost:4321';
export const audience = `${issuer}/api`;
export const resourceMetadataUrl = `${issuer}${sandboxPaths.protectedResourceMetadata}`;

/** 2030-01-01T00:00:00Z: every test starts at the same frozen moment. */
export const startTime = Date.UTC(2030, 0, 1);

/** A clock that moves only when told to. */
export interface FrozenClock extends Clock {
  advance(ms: number): void;
  nowSeconds(): number;
}

export function frozenClock(start = startTime): FrozenClock {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
    nowSeconds: () => Math.floor(time / 1000),
  };
}

/** A registered client as the registration endpoint answered it. */
export interface RegisteredClient {
  client_id: string;
  client_secret: string;
  client_id_issued_at: number;
  client_secret_expires_at: number;
  scope: string;
  token_endpoint_auth_method: string;
  access_token_lifetime: number;
  [name: string]: unknown;
}

/** A sandbox with a frozen clock and a store the test can look into. */
export interface Harness {
  sandbox: Sandbox;
  clock: FrozenClock;
  store: Store;
  /** Calls handle() with a Request for `path` on the issuer, from address 192.0.2.1 unless told otherwise. */
  call(path: string, init?: RequestInit, clientAddress?: string): Promise<Response>;
  register(metadata?: Record<string, unknown>, clientAddress?: string): Promise<RegisteredClient>;
  /** Requests a token with client_secret_basic (or post, as the client registered). */
  requestToken(client: RegisteredClient, extra?: Record<string, string>): Promise<Response>;
  token(client: RegisteredClient, extra?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

export const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

export async function createHarness(options: Partial<SandboxOptions> = {}): Promise<Harness> {
  const clock = frozenClock();
  const store = options.store ?? openSqliteStore(':memory:');
  const sandbox = await createSandbox({ issuer, clock, ...options, store });
  const call = (path: string, init?: RequestInit, clientAddress = '192.0.2.1') =>
    sandbox.handle(new Request(`${issuer}${path}`, init), { clientAddress });

  async function register(
    metadata: Record<string, unknown> = {},
    clientAddress?: string,
  ): Promise<RegisteredClient> {
    const response = await call(
      sandboxPaths.registration,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) },
      clientAddress,
    );
    expect(response.status).toBe(201);
    return (await response.json()) as RegisteredClient;
  }

  function requestToken(client: RegisteredClient, extra: Record<string, string> = {}) {
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...extra });
    const headers: Record<string, string> = { ...formHeaders };
    if (client.token_endpoint_auth_method === 'client_secret_post') {
      form.set('client_id', client.client_id);
      form.set('client_secret', client.client_secret);
    } else {
      headers.authorization = encodeBasicCredentials(client.client_id, client.client_secret);
    }
    return call(sandboxPaths.token, { method: 'POST', headers, body: form.toString() });
  }

  async function token(client: RegisteredClient, extra?: Record<string, string>) {
    const response = await requestToken(client, extra);
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  return { sandbox, clock, store, call, register, requestToken, token, close: () => sandbox.close() };
}

/** RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E. */
export const descriptionCharset = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

/** Reads an error response and checks what every error shares: JSON, no-store, a clean description. */
export async function errorOf(response: Response): Promise<{
  status: number;
  error: string | undefined;
  description: string | undefined;
  body: Record<string, unknown>;
}> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  const body = (await response.json()) as Record<string, unknown>;
  const description = body.error_description as string | undefined;
  if (description !== undefined) expect(description).toMatch(descriptionCharset);
  return { status: response.status, error: body.error as string | undefined, description, body };
}
