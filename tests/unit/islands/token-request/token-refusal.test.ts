import { describe, expect, it } from 'vitest';
import { authMethodLabels } from '../../../../src/islands/playground-shared/auth-method-labels.ts';
import { diagnoseTokenRefusal } from '../../../../src/islands/token-request/token-request-exchange.ts';
import { checkOwnClient } from '../../../../src/islands/credentials/own-client.ts';
import { apiScopeNames } from '../../../../src/lib/api-profile.ts';
import type { PlaygroundCredentials } from '../../../../src/islands/playground-shared/playground-store.ts';

const [firstScope, secondScope] = apiScopeNames as unknown as [string, string];
const basicClient = {
  source: 'registered' as const,
  authMethod: 'client_secret_basic' as const,
  scopes: [firstScope],
};

describe('the cause the page knows comes first, with its one-click fix', () => {
  it('the other method: names the registered one and offers to switch', () => {
    const diagnosis = diagnoseTokenRefusal(
      'invalid_client',
      basicClient,
      { authMethod: 'client_secret_post', scopes: [] },
      authMethodLabels,
    );
    expect(diagnosis?.lead).toMatch(
      /^This client is registered for client_secret_basic \(basic header\), and this request sent its credentials in the form body/,
    );
    expect(diagnosis?.retry).toEqual({
      label: 'Switch to Basic header and retry',
      choice: { authMethod: 'client_secret_basic', scopes: [] },
    });
  });

  it('a scope the client does not have: names its scopes and offers to ask for those', () => {
    const diagnosis = diagnoseTokenRefusal(
      'invalid_scope',
      basicClient,
      { authMethod: 'client_secret_basic', scopes: [firstScope, secondScope] },
      authMethodLabels,
    );
    expect(diagnosis?.lead).toContain(`registered for ${firstScope} only`);
    expect(diagnosis?.lead).toContain(`also asked for ${secondScope}`);
    expect(diagnosis?.retry?.choice.scopes).toEqual([firstScope]);
  });

  it.each([
    ['the right method and a refusal the page cannot explain', 'invalid_client', 'registered'],
    ['an error with no known cause', 'invalid_request', 'registered'],
  ] as const)('%s: no lead', (_name, code, source) => {
    expect(
      diagnoseTokenRefusal(
        code,
        { ...basicClient, source },
        { authMethod: 'client_secret_basic', scopes: [] },
        authMethodLabels,
      ),
    ).toBeUndefined();
  });

  it("the reader's own client refused: says a lost secret cannot come back", () => {
    const diagnosis = diagnoseTokenRefusal(
      'invalid_client',
      { ...basicClient, source: 'own' },
      { authMethod: 'client_secret_basic', scopes: [] },
      authMethodLabels,
    );
    expect(diagnosis?.lead).toMatch(/keeps only its hash/);
    expect(diagnosis?.retry).toBeUndefined();
  });
});

describe('"Use my own client" is ready only once the sandbox accepts it', () => {
  const candidate: PlaygroundCredentials = {
    clientId: 'id',
    clientSecret: 'secret',
    source: 'own',
    authMethod: 'client_secret_basic',
    scopes: [...apiScopeNames],
  };

  it('accepted: ready, with the scopes the token says the client has', () => {
    expect(checkOwnClient(candidate, { ok: true, token: { scope: firstScope } })).toEqual({
      ok: true,
      credentials: { ...candidate, scopes: [firstScope] },
    });
  });

  it.each([
    ['a wrong secret', 'The client_secret does not match this client_id.', 'clientSecret'],
    [
      'an unknown client',
      'Unknown client_id. Sandbox clients expire 24 hours after registration: register a new one.',
      'clientId',
    ],
    [
      'the other method',
      'This client is registered for client_secret_post: send client_id and client_secret as form parameters, not in an Authorization header.',
      'authMethod',
    ],
  ] as const)('%s: the problem goes under its field', (_name, description, field) => {
    const check = checkOwnClient(candidate, { ok: false, code: 'invalid_client', status: 401, description });
    expect(check).toMatchObject({ ok: false, field });
  });

  it('no answer: not ready, and says so', () => {
    expect(
      checkOwnClient(candidate, { ok: false, code: undefined, status: undefined, description: undefined }),
    ).toMatchObject({ ok: false, field: undefined, problem: expect.stringMatching(/could not be reached/) });
  });
});
