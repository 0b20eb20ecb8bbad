import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../../../src/lib/base64url.ts';
import { decodeJwt, type DecodedJwt } from '../../../../src/lib/jwt.ts';
import {
  describeCountdown,
  explainClaims,
  explainHeader,
  formatDuration,
  inspectionWarnings,
} from '../../../../src/islands/token-inspector/token-inspector.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

const expected = { issuer: 'http://localhost:4321', audience: 'http://localhost:4321/api' };
const now = Date.UTC(2030, 0, 1);
const claims = {
  iss: expected.issuer,
  sub: 'c1',
  aud: expected.audience,
  client_id: 'c1',
  scope: readScope,
  iat: now / 1000,
  exp: now / 1000 + 3600,
  jti: 'j1',
};

function jwt(header: Record<string, unknown>, payload: Record<string, unknown>): DecodedJwt {
  const result = decodeJwt(
    `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(payload))}.${encodeBase64url('sig')}`,
  );
  if (!result.ok) throw new Error(result.message);
  return result.jwt;
}

describe('explaining the header and the claims', () => {
  it('explains every RFC 9068 claim with its RFC section, in the token order', () => {
    const rows = explainClaims(claims);
    expect(rows.map((row) => [row.name, row.reference.label])).toEqual([
      ['iss', 'RFC 7519 §4.1.1'],
      ['sub', 'RFC 7519 §4.1.2'],
      ['aud', 'RFC 7519 §4.1.3'],
      ['client_id', 'RFC 9068 §2.2'],
      ['scope', 'RFC 9068 §2.2.3'],
      ['iat', 'RFC 7519 §4.1.6'],
      ['exp', 'RFC 7519 §4.1.4'],
      ['jti', 'RFC 7519 §4.1.7'],
    ]);
    for (const row of rows) {
      expect(row.reference.href).toMatch(/^https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+#section-[\d.]+$/);
      expect(row.meaning.length).toBeGreaterThan(15);
    }
    expect(rows.find((row) => row.name === 'exp')).toMatchObject({
      display: String(claims.exp),
      timeMs: claims.exp * 1000,
    });
    expect(rows.find((row) => row.name === 'iss')?.timeMs).toBeUndefined();
  });

  it('says a claim it does not know is the issuer’s own, and shows values as JSON', () => {
    const [row] = explainClaims({ roles: ['admin'] });
    expect(row).toMatchObject({ name: 'roles', display: '["admin"]', reference: { label: 'RFC 7519 §4.3' } });
  });

  it('explains alg, typ and kid', () => {
    expect(
      explainHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: 'k' }).map((row) => row.reference.label),
    ).toEqual(['RFC 7515 §4.1.1', 'RFC 9068 §2.1', 'RFC 7515 §4.1.4']);
  });
});

describe('warnings', () => {
  const kinds = (token: DecodedJwt, at = now) =>
    inspectionWarnings(token, at, expected).map((warning) => warning.kind);

  it('has none for a sandbox access token in its lifetime', () => {
    expect(kinds(jwt({ alg: 'EdDSA', typ: 'at+jwt', kid: 'k' }, claims))).toEqual([]);
  });

  it.each([
    ['alg none', { alg: 'none', typ: 'at+jwt' }, claims, now, ['alg-none']],
    ['no alg at all', { typ: 'at+jwt' }, claims, now, ['alg-none']],
    [
      'expired, from exp on (no leeway)',
      { alg: 'EdDSA', typ: 'at+jwt' },
      claims,
      claims.exp * 1000,
      ['expired'],
    ],
    ['no exp', { alg: 'EdDSA', typ: 'at+jwt' }, { ...claims, exp: undefined }, now, ['no-exp']],
    [
      'not valid yet',
      { alg: 'EdDSA', typ: 'at+jwt' },
      { ...claims, nbf: now / 1000 + 60 },
      now,
      ['not-yet-valid'],
    ],
    ['missing typ', { alg: 'EdDSA' }, claims, now, ['missing-typ']],
    ['an ID token', { alg: 'RS256', typ: 'JWT' }, claims, now, ['unexpected-typ']],
    [
      'another audience',
      { alg: 'EdDSA', typ: 'at+jwt' },
      { ...claims, aud: 'https://api.example.com' },
      now,
      ['unexpected-aud'],
    ],
    [
      'an audience list without this API',
      { alg: 'EdDSA', typ: 'at+jwt' },
      { ...claims, aud: ['a', 'b'] },
      now,
      ['unexpected-aud'],
    ],
    [
      'another issuer',
      { alg: 'EdDSA', typ: 'at+jwt' },
      { ...claims, iss: 'https://auth.example.com' },
      now,
      ['unexpected-iss'],
    ],
  ])('warns about %s', (_name, header, payload, at, expectedKinds) => {
    expect(kinds(jwt(header, payload), at)).toEqual(expectedKinds);
  });

  it('accepts an audience list that includes this API, and the application/ form of typ', () => {
    expect(
      kinds(jwt({ alg: 'EdDSA', typ: 'application/at+jwt' }, { ...claims, aud: ['x', expected.audience] })),
    ).toEqual([]);
  });

  it('does not judge aud or iss before it knows what the sandbox expects', () => {
    const token = jwt({ alg: 'EdDSA', typ: 'at+jwt' }, { ...claims, iss: 'elsewhere', aud: 'elsewhere' });
    expect(inspectionWarnings(token, now).map((warning) => warning.kind)).toEqual([]);
  });

  it('links every warning to its RFC', () => {
    const token = jwt({ alg: 'none' }, { aud: 'x' });
    for (const warning of inspectionWarnings(token, now, expected))
      expect(warning.reference.href).toMatch(/^https:\/\/www\.rfc-editor\.org\//);
  });
});

describe('the countdown', () => {
  it.each([
    [now + 3_723_000, 'expires in 1 h 2 min 3 s'],
    [now + 4_000, 'expires in 4 s'],
    [now + 4_001, 'expires in 5 s'],
    [now + 1, 'expires in 1 s'],
    [now, 'expired 0 s ago'],
    [now - 61_000, 'expired 1 min 1 s ago'],
  ])('exp %i reads "%s"', (exp, text) => expect(describeCountdown(exp, now)).toBe(text));

  it('formats durations without negative parts', () => {
    expect(formatDuration(-5)).toBe('0 s');
  });
});
