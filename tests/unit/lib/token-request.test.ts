import { describe, expect, it } from 'vitest';
import { parseBasicCredentials } from '../../../src/lib/basic-auth.ts';
import { buildTokenRequest } from '../../../src/lib/token-request.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope, writeScope } = apiProfile;

const base = {
  tokenEndpoint: 'https://auth.example.test/oauth/token',
  clientId: 'reports client:1',
  clientSecret: 'p@ss word+%é',
};

describe('buildTokenRequest', () => {
  it('sends client_secret_basic with each half form-urlencoded before base64 (RFC 6749 §2.3.1)', () => {
    const { url, init } = buildTokenRequest({ ...base, scopes: [readScope, writeScope] });
    expect(url).toBe(base.tokenEndpoint);
    expect(init.method).toBe('POST');
    expect(init.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const encoded = init.headers.authorization!.replace(/^Basic /, '');
    expect(atob(encoded)).toBe('reports+client%3A1:p%40ss+word%2B%25%C3%A9');
    expect(parseBasicCredentials(init.headers.authorization!)).toEqual({
      ok: true,
      credentials: { clientId: base.clientId, clientSecret: base.clientSecret },
    });
    expect(Object.fromEntries(new URLSearchParams(init.body))).toEqual({
      grant_type: 'client_credentials',
      scope: `${readScope} ${writeScope}`,
    });
  });

  it('sends client_secret_post credentials in the body and no Authorization header', () => {
    const { init } = buildTokenRequest({ ...base, authMethod: 'client_secret_post' });
    expect(init.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(init.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: base.clientId,
      client_secret: base.clientSecret,
    });
  });

  it.each([[undefined], [[]]])(
    'leaves scope out when the scopes are %j, asking for every registered scope',
    (scopes) => {
      const { init } = buildTokenRequest({ ...base, scopes });
      expect(new URLSearchParams(init.body).has('scope')).toBe(false);
    },
  );
});
