import { describe, expect, it } from 'vitest';
import { TokenSourceError } from '../../../src/lib/token-source-error.ts';
import { processTokenResponse } from '../../../src/lib/token-response.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

const valid = { access_token: 'eyJ.a.b', token_type: 'Bearer', expires_in: 3600, scope: readScope };

function errorOf(status: number, body: unknown): TokenSourceError {
  try {
    processTokenResponse(status, body);
  } catch (error) {
    if (error instanceof TokenSourceError) return error;
    throw error;
  }
  throw new Error('processTokenResponse accepted the response');
}

describe('processTokenResponse: a 200 answer (RFC 6749 §5.1)', () => {
  it('returns the token, its lifetime and scope', () => {
    expect(processTokenResponse(200, valid)).toEqual({
      accessToken: 'eyJ.a.b',
      expiresInSeconds: 3600,
      scope: readScope,
    });
  });

  it.each([['bearer'], ['BEARER']])(
    'accepts token_type %j: the type is case-insensitive (RFC 6749 §7.1)',
    (tokenType) => {
      expect(processTokenResponse(200, { ...valid, token_type: tokenType }).accessToken).toBe('eyJ.a.b');
    },
  );

  it('accepts a response without expires_in or scope, which RFC 6749 §5.1 allows', () => {
    expect(processTokenResponse(200, { access_token: 't', token_type: 'Bearer' })).toEqual({
      accessToken: 't',
      expiresInSeconds: undefined,
      scope: undefined,
    });
  });

  it.each([
    ['not JSON', undefined, '"response" body must be a JSON object'],
    ['an array', [valid], '"response" body must be a JSON object'],
    [
      'no access_token',
      { ...valid, access_token: undefined },
      '"response" body "access_token" must be a non-empty string',
    ],
    [
      'an empty access_token',
      { ...valid, access_token: '' },
      '"response" body "access_token" must be a non-empty string',
    ],
    [
      'a numeric access_token',
      { ...valid, access_token: 42 },
      '"response" body "access_token" must be a non-empty string',
    ],
    ['no token_type', { ...valid, token_type: undefined }, '"response" body "token_type" must be a string'],
    ['token_type DPoP', { ...valid, token_type: 'DPoP' }, '"response" body "token_type" must be "Bearer"'],
    ['expires_in 0', { ...valid, expires_in: 0 }, '"response" body "expires_in" must be a positive number'],
    [
      'expires_in -60',
      { ...valid, expires_in: -60 },
      '"response" body "expires_in" must be a positive number',
    ],
    [
      'expires_in "3600"',
      { ...valid, expires_in: '3600' },
      '"response" body "expires_in" must be a positive number',
    ],
    [
      'expires_in null',
      { ...valid, expires_in: null },
      '"response" body "expires_in" must be a positive number',
    ],
    ['a numeric scope', { ...valid, scope: 1 }, '"response" body "scope" must be a string'],
  ])('refuses %s with a labelled message', (_case, body, message) => {
    const error = errorOf(200, body);
    expect(error.code).toBe('invalid_token_response');
    expect(error.message).toBe(message);
  });

  it('refuses a 2xx other than 200 as not a token response', () => {
    expect(errorOf(201, valid).code).toBe('invalid_token_response');
  });
});

describe('processTokenResponse: an error answer (RFC 6749 §5.2)', () => {
  it.each([
    [401, { error: 'invalid_client' }, 'invalid_client', 'invalid_client'],
    [400, { error: 'invalid_client' }, 'invalid_client', 'invalid_client'],
    [401, undefined, 'invalid_client', 'invalid_client'],
    [
      400,
      { error: 'invalid_scope', error_description: 'no such scope' },
      'token_request_refused',
      'invalid_scope',
    ],
    [400, { error: 'unauthorized_client' }, 'token_request_refused', 'unauthorized_client'],
    [400, { error: 'unsupported_grant_type' }, 'token_request_refused', 'unsupported_grant_type'],
    [404, undefined, 'invalid_token_response', undefined],
    [400, { message: 'bad' }, 'invalid_token_response', undefined],
  ])('HTTP %d %j is %s', (status, body, code, oauthError) => {
    const error = errorOf(status, body);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.oauthError).toBe(oauthError);
  });

  it('says what to check on invalid_client, with the server description', () => {
    const error = errorOf(401, { error: 'invalid_client', error_description: 'Unknown client.' });
    expect(error.message).toContain('Unknown client.');
    expect(error.message).toContain('not retried');
  });
});
