import { describe, expect, it } from 'vitest';
import { envExportLine, shellQuote } from '../../../../src/islands/session-bar/env-export.ts';
import { describeTimeLeft } from '../../../../src/islands/session-bar/time-left.ts';

describe('Copy env', () => {
  const credentials = { clientId: 'id-1', clientSecret: 's3cr3t' };
  const token = { accessToken: 'eyJ.a.b' };

  it('exports the URLs, the client ID and the token, not the secret', () => {
    expect(envExportLine({ origin: 'http://localhost:4321', credentials, token, includeSecret: false })).toBe(
      "export SANDBOX_URL='http://localhost:4321' TOKEN_URL='http://localhost:4321/oauth/token' API_BASE_URL='http://localhost:4321/api/v1' CLIENT_ID='id-1' ACCESS_TOKEN='eyJ.a.b'",
    );
  });

  it('adds the secret only when asked', () => {
    expect(envExportLine({ origin: 'o', credentials, token: undefined, includeSecret: true })).toContain(
      "CLIENT_ID='id-1' CLIENT_SECRET='s3cr3t'",
    );
  });

  it.each([
    ['plain', "'plain'"],
    ["it's", "'it'\\''s'"],
    ['$HOME `x`', "'$HOME `x`'"],
  ])('quotes %j for a shell so nothing expands', (value, quoted) => expect(shellQuote(value)).toBe(quoted));
});

describe('the token chip', () => {
  it.each([
    [3_600_000, '1 h 0 min left'],
    [125_000, '2 min 5 s left'],
    [4_200, '5 s left'],
    [0, 'expired 0 s ago'],
    [-3_000, 'expired 3 s ago'],
  ])('%i ms to go reads "%s"', (left, text) =>
    expect(describeTimeLeft(10_000_000 + left, 10_000_000)).toBe(text),
  );
});
