import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accessTokenLifetime,
  buildAuthorizationServerMetadataRequest,
  buildClientCredentialsRequest,
  buildJwksRequest,
  buildProtectedResourceMetadataRequest,
  buildRegistrationRequest,
  buildReportsRequest,
  buildRevocationRequest,
  callSandbox,
  clientSecretAuthMethods,
  tokenEndpointAuthMethods,
  clientLifetimeSeconds,
  oauthErrorStatuses,
  processAuthorizationServerMetadataResponse,
  processClientCredentialsResponse,
  processJwksResponse,
  processProtectedResourceMetadataResponse,
  processRegistrationResponse,
  processReportsResponse,
  processRevocationResponse,
  reportsScopes,
  sandboxPaths,
  sandboxScopes,
  type SandboxCallOutcome,
} from '../../../../src/lib/sandbox-contract/index.ts';
import { createHarness, issuer, type Harness } from '../../sandbox/harness.ts';

/**
 * The contract's two sides meet: every request the islands build goes to a real sandbox
 * (in-process, frozen clock), and every answer passes the islands' checks.
 */
let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  await harness.close();
});

const options = () => ({ fetch: (target: string, init: RequestInit) => harness.call(target, init) });

function value<T>(outcome: SandboxCallOutcome<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

describe('the sandbox answers what the contract says', () => {
  it('publishes its endpoints, methods and scopes as the contract states them', async () => {
    const metadata = value(
      await callSandbox(
        buildAuthorizationServerMetadataRequest(),
        processAuthorizationServerMetadataResponse,
        options(),
      ),
    );
    expect(metadata).toEqual({
      issuer,
      tokenEndpoint: `${issuer}${sandboxPaths.token}`,
      grantTypesSupported: ['client_credentials'],
      scopesSupported: [...sandboxScopes],
    });
    const raw = (await (await harness.call(sandboxPaths.authorizationServerMetadata)).json()) as Record<
      string,
      unknown
    >;
    expect(raw).toMatchObject({
      jwks_uri: `${issuer}${sandboxPaths.jwks}`,
      registration_endpoint: `${issuer}${sandboxPaths.registration}`,
      introspection_endpoint: `${issuer}${sandboxPaths.introspection}`,
      revocation_endpoint: `${issuer}${sandboxPaths.revocation}`,
      token_endpoint_auth_methods_supported: [...tokenEndpointAuthMethods],
    });
    const resource = value(
      await callSandbox(
        buildProtectedResourceMetadataRequest(),
        processProtectedResourceMetadataResponse,
        options(),
      ),
    );
    expect(resource).toEqual({ resource: `${issuer}/api`, authorizationServers: [issuer] });
    expect(
      value(await callSandbox(buildJwksRequest(), processJwksResponse, options())).keys.length,
    ).toBeGreaterThan(0);
  });

  it.each(clientSecretAuthMethods)(
    'registers, gets a token, calls the API and revokes with %s',
    async (method) => {
      const client = value(
        await callSandbox(
          buildRegistrationRequest({
            tokenEndpointAuthMethod: method,
            accessTokenLifetime: accessTokenLifetime.min,
          }),
          processRegistrationResponse,
          options(),
        ),
      );
      expect(client).toMatchObject({
        tokenEndpointAuthMethod: method,
        scopes: [...sandboxScopes],
        accessTokenLifetime: accessTokenLifetime.min,
        clientSecretExpiresAt: harness.clock.nowSeconds() + clientLifetimeSeconds,
      });
      const token = value(
        await callSandbox(
          buildClientCredentialsRequest(client, { authMethod: method }),
          processClientCredentialsResponse,
          options(),
        ),
      );
      expect(token.expiresInSeconds).toBe(accessTokenLifetime.min);
      for (const apiMethod of ['GET', 'POST'] as const) {
        const outcome = await callSandbox(
          buildReportsRequest(apiMethod, token.accessToken),
          (exchange) => processReportsResponse(exchange, apiMethod),
          options(),
        );
        expect(outcome.ok).toBe(true);
      }
      value(
        await callSandbox(
          buildRevocationRequest(client, token.accessToken, method),
          processRevocationResponse,
          options(),
        ),
      );
      const refused = await callSandbox(
        buildReportsRequest('GET', token.accessToken),
        (exchange) => processReportsResponse(exchange, 'GET'),
        options(),
      );
      expect(!refused.ok && refused.error).toMatchObject({
        code: 'oauth_error',
        status: oauthErrorStatuses.invalid_token,
        oauthError: 'invalid_token',
      });
    },
  );

  it.each([
    [
      'invalid_client_metadata',
      buildRegistrationRequest({ accessTokenLifetime: accessTokenLifetime.min - 1 }),
    ],
    ['invalid_client', buildClientCredentialsRequest({ clientId: 'nobody', clientSecret: 'x' })],
    ['no_credentials', buildReportsRequest('GET', undefined)],
    ['invalid_request', buildReportsRequest('GET', 'a.b.c', { tokenIn: 'query' })],
  ] as const)('answers %s with the status the contract gives it', async (code, request) => {
    const outcome = await callSandbox(request, () => undefined, options());
    expect(outcome.exchange.response?.status).toBe(oauthErrorStatuses[code]);
  });

  it('answers a token without the scope with insufficient_scope and its status', async () => {
    const client = value(
      await callSandbox(
        buildRegistrationRequest({ scopes: [reportsScopes.GET] }),
        processRegistrationResponse,
        options(),
      ),
    );
    const token = value(
      await callSandbox(buildClientCredentialsRequest(client), processClientCredentialsResponse, options()),
    );
    const outcome = await callSandbox(
      buildReportsRequest('POST', token.accessToken),
      (exchange) => processReportsResponse(exchange, 'POST'),
      options(),
    );
    expect(!outcome.ok && outcome.error).toMatchObject({
      status: oauthErrorStatuses.insufficient_scope,
      oauthError: 'insufficient_scope',
    });
  });
});
