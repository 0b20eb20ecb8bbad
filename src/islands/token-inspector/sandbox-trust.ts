import type { ExchangeOptions } from '../../lib/http-exchange.ts';
import {
  buildJwksRequest,
  buildProtectedResourceMetadataRequest,
  callSandbox,
  processJwksResponse,
  processProtectedResourceMetadataResponse,
  type JsonWebKeySet,
} from '../../lib/sandbox-contract/index.ts';
import type { SandboxExpectation } from './token-inspector.ts';

/** What the sandbox publishes that a token is checked against; a part that could not be fetched is undefined. */
export interface SandboxTrust {
  expectation: SandboxExpectation | undefined;
  jwks: JsonWebKeySet | undefined;
}

/**
 * Fetches the sandbox's protected resource metadata (RFC 9728: the API's identifier, the `aud`,
 * and its issuer) and its JWKS, in parallel. Neither request carries the token being inspected: a
 * pasted token never leaves the browser.
 */
export async function loadSandboxTrust(options: ExchangeOptions = {}): Promise<SandboxTrust> {
  const [metadata, jwks] = await Promise.all([
    callSandbox(buildProtectedResourceMetadataRequest(), processProtectedResourceMetadataResponse, options),
    callSandbox(buildJwksRequest(), processJwksResponse, options),
  ]);
  return {
    // RFC 9728 §2: `resource` is the audience; the first authorization server is the issuer.
    expectation: metadata.ok
      ? { issuer: metadata.value.authorizationServers[0]!, audience: metadata.value.resource }
      : undefined,
    jwks: jwks.ok ? jwks.value : undefined,
  };
}
