import { describe, expect, it } from 'vitest';
import {
  explainApiError,
  explainRegistrationError,
  explainTokenEndpointError,
} from '../../../src/lib/oauth-error-explanations.ts';
import { formatChallenge } from '../../../src/lib/www-authenticate.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

// Challenges written with the same helper the sandbox writes them with.
const resourceMetadata = 'http://localhost:4321/.well-known/oauth-protected-resource/api';
const bearer = (params: Record<string, string | undefined>) =>
  formatChallenge('Bearer', { realm: 'sandbox', ...params, resource_metadata: resourceMetadata });

describe('explainTokenEndpointError', () => {
  it.each([
    [400, 'invalid_request', '/errors/#invalid_request'],
    [401, 'invalid_client', '/errors/#invalid_client'],
    [400, 'invalid_grant', '/errors/#invalid_grant'],
    [400, 'unauthorized_client', '/errors/#unauthorized_client'],
    [400, 'unsupported_grant_type', '/errors/#unsupported_grant_type'],
    [400, 'invalid_scope', '/errors/#invalid_scope'],
  ])('HTTP %i %s links to %s', (status, error, href) => {
    const explanation = explainTokenEndpointError(status, {
      error,
      error_description: 'As the server put it.',
    });
    expect(explanation).toMatchObject({
      row: error,
      code: error,
      status,
      href,
      description: 'As the server put it.',
    });
    expect(explanation.summary.length).toBeGreaterThan(30);
    expect(explanation.fix.length).toBeGreaterThan(10);
  });

  it('names what invalid_client can mean, the method among them', () => {
    expect(explainTokenEndpointError(401, { error: 'invalid_client' }).summary).toMatch(
      /client ID.*secret.*method/,
    );
  });

  it('explains 429 as the rate limit, whatever the body', () => {
    expect(explainTokenEndpointError(429, { error: 'too_many_requests' })).toMatchObject({
      row: 'too_many_requests',
      href: '/errors/#too_many_requests',
    });
    expect(explainTokenEndpointError(429, undefined)).toMatchObject({
      row: 'too_many_requests',
      code: 'too_many_requests',
    });
  });

  it('has no errors-page link for a code the page does not list', () => {
    const explanation = explainTokenEndpointError(400, { error: 'something_else' });
    expect(explanation).toMatchObject({ row: 'unknown', code: 'something_else', href: undefined });
    expect(explanation.summary).toContain('something_else');
  });
});

describe('explainRegistrationError', () => {
  it('explains invalid_client_metadata with its row', () => {
    expect(
      explainRegistrationError(400, {
        error: 'invalid_client_metadata',
        error_description: 'access_token_lifetime must be ...',
      }),
    ).toMatchObject({
      row: 'invalid_client_metadata',
      href: '/errors/#invalid_client_metadata',
      description: 'access_token_lifetime must be ...',
    });
  });
});

describe('explainApiError', () => {
  const now = Date.UTC(2030, 0, 1, 12);

  it('a 401 without an error code: no token was sent, nothing was checked', () => {
    const explanation = explainApiError({
      status: 401,
      wwwAuthenticate: bearer({}),
      body: { error_description: 'This API needs an access token.' },
    });
    expect(explanation).toMatchObject({
      row: 'no-error-code',
      code: undefined,
      href: '/errors/#no-error-code',
      challenge: { realm: 'sandbox', resource_metadata: resourceMetadata },
    });
    expect(explanation.summary).toMatch(/no access token/);
  });

  it('an expired token: the expiry check, from the description', () => {
    const explanation = explainApiError({
      status: 401,
      wwwAuthenticate: bearer({
        error: 'invalid_token',
        error_description: 'The access token has expired. Request a new one.',
      }),
      body: undefined,
    });
    expect(explanation).toMatchObject({
      row: 'invalid_token',
      failedCheck: 'expiry',
      href: '/errors/#invalid_token',
    });
    expect(explanation.summary).toMatch(/expiry check failed/);
  });

  it("an expired token: the expiry check, from the token's own exp, whatever the description says", () => {
    const explanation = explainApiError(
      {
        status: 401,
        wwwAuthenticate: bearer({
          error: 'invalid_token',
          error_description:
            'The access token is not one this sandbox issued for this API, or it was altered.',
        }),
        body: undefined,
      },
      { expiresAtMs: now - 1000 },
      now,
      () => '12:00:00',
    );
    expect(explanation.failedCheck).toBe('expiry');
    expect(explanation.summary).toContain('its exp was 12:00:00');
  });

  it('a revoked token: the revocation check', () => {
    const explanation = explainApiError(
      {
        status: 401,
        wwwAuthenticate: bearer({
          error: 'invalid_token',
          error_description: 'The access token was revoked.',
        }),
        body: undefined,
      },
      { expiresAtMs: now + 60_000 },
      now,
    );
    expect(explanation.failedCheck).toBe('revocation');
  });

  it('a forged or foreign token: the signature, issuer or audience check', () => {
    const explanation = explainApiError(
      {
        status: 401,
        wwwAuthenticate: bearer({
          error: 'invalid_token',
          error_description:
            'The access token is not one this sandbox issued for this API, or it was altered.',
        }),
        body: undefined,
      },
      { expiresAtMs: now + 60_000 },
      now,
    );
    expect(explanation.failedCheck).toBe('signature-issuer-audience');
  });

  it('insufficient_scope names the missing scope from the challenge and the scopes the token has', () => {
    const explanation = explainApiError(
      {
        status: 403,
        wwwAuthenticate: bearer({
          error: 'insufficient_scope',
          error_description: `This request needs the scope ${writeScope}.`,
          scope: writeScope,
        }),
        body: undefined,
      },
      { scopes: [readScope] },
    );
    expect(explanation).toMatchObject({
      row: 'insufficient_scope',
      failedCheck: 'scope',
      missingScope: writeScope,
      href: '/errors/#insufficient_scope',
    });
    expect(explanation.summary).toBe(
      `The token is valid, but the scope check failed: this endpoint needs the scope ${writeScope}. The token carries ${readScope}.`,
    );
  });

  it('invalid_request at the API links to its own row', () => {
    const explanation = explainApiError({
      status: 400,
      wwwAuthenticate: bearer({
        error: 'invalid_request',
        error_description: 'Send the access token in the Authorization header.',
      }),
      body: undefined,
    });
    expect(explanation).toMatchObject({
      row: 'invalid_request-at-the-api',
      href: '/errors/#invalid_request-at-the-api',
    });
  });

  it('falls back to the JSON body when there is no challenge', () => {
    expect(
      explainApiError({ status: 429, wwwAuthenticate: undefined, body: { error: 'too_many_requests' } }),
    ).toMatchObject({ row: 'too_many_requests' });
    expect(
      explainApiError({
        status: 401,
        wwwAuthenticate: 'Bearer realm="x", error="invalid_token"',
        body: undefined,
      }).row,
    ).toBe('invalid_token');
  });

  it('survives a malformed challenge', () => {
    expect(
      explainApiError({
        status: 401,
        wwwAuthenticate: 'Bearer error="unterminated',
        body: { error: 'invalid_token' },
      }).row,
    ).toBe('invalid_token');
  });
});
