import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  describeClientExpiry,
  lifetimeChoices,
  lifetimeLabel,
  maskedSecret,
  readOwnCredentials,
} from '../../../../src/islands/credentials/credentials.ts';
import {
  credentialsFromRegistration,
  explainRegistrationOutcome,
  registerSandboxClient,
} from '../../../../src/islands/credentials/register-client.ts';
import { createHarness, type Harness } from '../../sandbox/harness.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

describe('the registration form', () => {
  it('offers lifetimes the sandbox accepts, short ones marked', () => {
    expect(lifetimeChoices.every((seconds) => seconds >= 5 && seconds <= 3600)).toBe(true);
    expect(lifetimeLabel(30)).toBe('30 seconds (watch it expire)');
    expect(lifetimeLabel(3600)).toBe('1 hour');
  });

  it('masks a secret with one bullet a character, at most 24', () => {
    expect(maskedSecret('abc')).toBe('•••');
    expect(maskedSecret('x'.repeat(43))).toBe('•'.repeat(24));
  });

  it('says how long the client has left', () => {
    const now = Date.UTC(2030, 0, 1);
    expect(describeClientExpiry(now / 1000 + 24 * 3600 - 60, now)).toBe('expires in 23 h 59 min');
    expect(describeClientExpiry(now / 1000 + 30, now)).toBe('expires in 1 min');
    expect(describeClientExpiry(now / 1000 - 1, now)).toBe('expired: register a new client');
    expect(describeClientExpiry(undefined, now)).toBeUndefined();
  });
});

describe('use my own', () => {
  const input = {
    clientId: ' id-1 ',
    clientSecret: '\tsecret-1\n',
    authMethod: 'client_secret_post' as const,
    scopes: [readScope],
  };

  it('trims what was pasted and keeps the method', () => {
    expect(readOwnCredentials(input)).toEqual({
      clientId: 'id-1',
      clientSecret: 'secret-1',
      source: 'own',
      authMethod: 'client_secret_post',
      scopes: [readScope],
    });
  });

  it.each([
    [{ clientId: '' }, 'clientId', 'Enter the client ID.'],
    [{ clientId: 'a b' }, 'clientId', 'white space'],
    [{ clientSecret: '  ' }, 'clientSecret', 'Enter the client secret.'],
    [{ clientSecret: 'a\nb' }, 'clientSecret', 'white space'],
  ])('names the field that is wrong: %j', (change, field, message) => {
    const result = readOwnCredentials({ ...input, ...change });
    expect(result).toMatchObject({ field });
    expect('problem' in result && result.problem).toContain(message);
  });
});

describe('registering against the sandbox', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.close();
  });
  const fetchVia = () => ({ fetch: (target: string, init: RequestInit) => harness.call(target, init) });

  it('registers a client with the chosen scopes, lifetime and method, and keeps what the token request needs', async () => {
    const outcome = await registerSandboxClient(
      {
        clientName: 'Playground',
        scopes: [readScope],
        accessTokenLifetime: 30,
        tokenEndpointAuthMethod: 'client_secret_post',
      },
      fetchVia(),
    );
    expect(outcome.exchange.response?.status).toBe(201);
    if (!outcome.ok) throw outcome.error;
    const credentials = credentialsFromRegistration(outcome.value);
    expect(credentials).toMatchObject({
      source: 'registered',
      authMethod: 'client_secret_post',
      scopes: [readScope],
      lifetimeSeconds: 30,
    });
    expect(credentials.clientSecret).toMatch(/^[A-Za-z0-9._~-]{20,}$/);
    expect(credentials.secretExpiresAt).toBe(Math.floor(harness.clock.now() / 1000) + 24 * 3600);
    expect(explainRegistrationOutcome(outcome)).toBeUndefined();
  });

  it('explains a refused registration', async () => {
    const outcome = await registerSandboxClient({ accessTokenLifetime: 2 }, fetchVia());
    expect(!outcome.ok && outcome.error).toMatchObject({
      code: 'oauth_error',
      status: 400,
      oauthError: 'invalid_client_metadata',
    });
    expect(explainRegistrationOutcome(outcome)).toMatchObject({
      row: 'invalid_client_metadata',
      href: '/errors/#invalid_client_metadata',
    });
  });

  it('says so when the sandbox cannot be reached', async () => {
    const outcome = await registerSandboxClient(
      {},
      { fetch: () => Promise.reject(new TypeError('Failed to fetch')) },
    );
    expect(!outcome.ok && outcome.error).toMatchObject({
      code: 'network_error',
      message: 'No answer: Failed to fetch.',
    });
  });
});
