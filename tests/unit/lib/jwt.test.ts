import { describe, expect, it } from 'vitest';
import { encodeBase64url } from '../../../src/lib/base64url.ts';
import { decodeJwt, numericDateMs } from '../../../src/lib/jwt.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { readScope } = apiProfile;

const part = (value: unknown) => encodeBase64url(JSON.stringify(value));
const header = { alg: 'EdDSA', typ: 'at+jwt', kid: 'k1' };
const payload = { iss: 'http://localhost:4321', exp: 1_900_000_000, scope: readScope };
const signature = encodeBase64url(new Uint8Array(64).fill(7));
const token = `${part(header)}.${part(payload)}.${signature}`;

describe('decodeJwt', () => {
  it('splits and decodes a signed JWT, keeping each segment as sent', () => {
    const result = decodeJwt(token);
    expect(result).toEqual({
      ok: true,
      jwt: {
        segments: { header: part(header), payload: part(payload), signature },
        header,
        payload,
        signatureBytes: 64,
      },
    });
  });

  it('ignores surrounding white space and a leading "Bearer "', () => {
    const result = decodeJwt(`  Bearer ${token}\n`);
    expect(result.ok && result.jwt.payload).toEqual(payload);
  });

  it('reads an unsecured JWT (alg none) with an empty signature', () => {
    const result = decodeJwt(`${part({ alg: 'none' })}.${part(payload)}.`);
    expect(result.ok && result.jwt.signatureBytes).toBe(0);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['a.b.c.d.e', 'encrypted'],
    ['abc', 'not_three_parts'],
    ['a.b', 'not_three_parts'],
    [`${part(header)}.${part(payload)}.${signature}.x`, 'not_three_parts'],
    [`*.${part(payload)}.${signature}`, 'header_not_base64url'],
    [`${encodeBase64url('not json')}.${part(payload)}.${signature}`, 'header_not_json_object'],
    [`${part([1, 2])}.${part(payload)}.${signature}`, 'header_not_json_object'],
    [`${part(header)}.${part(payload).slice(0, -1)}!.${signature}`, 'payload_not_base64url'],
    [`${part(header)}.${part('a string')}.${signature}`, 'payload_not_json_object'],
    [`${part(header)}.${part(payload)}.abc$`, 'signature_not_base64url'],
  ])('labels %j as %s', (input, problem) => {
    const result = decodeJwt(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toBe(problem);
      expect(result.message.length).toBeGreaterThan(10);
    }
  });

  it('never quotes the input in its message', () => {
    const secretLooking = 'c2VjcmV0.c2VjcmV0';
    const result = decodeJwt(secretLooking);
    expect(!result.ok && result.message).not.toContain(secretLooking);
  });
});

describe('numericDateMs', () => {
  it.each([
    [{ exp: 1_900_000_000 }, 'exp', 1_900_000_000_000],
    [{ iat: 1.5 }, 'iat', 1500],
    [{ exp: '1900000000' }, 'exp', undefined],
    [{}, 'nbf', undefined],
    [{ exp: Number.NaN }, 'exp', undefined],
  ] as const)('reads %j %s as %s', (claims, claim, expected) => {
    expect(numericDateMs(claims, claim)).toBe(expected);
  });
});
