import { readProtectedResourceMetadata, type SandboxExpectation } from './token-inspector.ts';

/** Where the inspector learns what the sandbox's API trusts: public documents, same origin. */
export const trustPaths = {
  /** RFC 9728 protected resource metadata: the API's identifier (`aud`) and its issuer. */
  resourceMetadata: '/.well-known/oauth-protected-resource/api',
  /** RFC 7517 key set: the public keys that sign the sandbox's tokens. */
  jwks: '/oauth/jwks',
} as const;

/** What the sandbox publishes that a token is checked against; a part that could not be fetched is undefined. */
export interface SandboxTrust {
  expectation: SandboxExpectation | undefined;
  jwks: unknown;
}

async function getJson(
  fetchImpl: (input: string, init?: RequestInit) => Promise<Response>,
  path: string,
): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetchImpl(path, { headers: { accept: 'application/json' }, credentials: 'omit' });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  } catch {
    return undefined;
  }
}

/**
 * Fetches the sandbox's protected resource metadata and JWKS, in parallel. Neither request carries
 * the token being inspected: a pasted token never leaves the browser.
 */
export async function loadSandboxTrust(
  fetchImpl: (input: string, init?: RequestInit) => Promise<Response> = (input, init) =>
    globalThis.fetch(input, init),
): Promise<SandboxTrust> {
  const [metadata, jwks] = await Promise.all([
    getJson(fetchImpl, trustPaths.resourceMetadata),
    getJson(fetchImpl, trustPaths.jwks),
  ]);
  return {
    expectation: metadata ? readProtectedResourceMetadata(metadata.status, metadata.body) : undefined,
    jwks: jwks?.status === 200 ? jwks.body : undefined,
  };
}
