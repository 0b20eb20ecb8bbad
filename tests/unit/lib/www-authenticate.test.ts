import { describe, expect, it } from 'vitest';
import { formatChallenge, parseWwwAuthenticate } from '../../../src/lib/www-authenticate.ts';
import { apiProfile } from '../../../src/lib/api-profile.ts';

const { writeScope } = apiProfile;

describe('formatChallenge', () => {
  it('quotes every value and skips undefined ones', () => {
    expect(
      formatChallenge('Bearer', {
        realm: 'sandbox',
        error: 'invalid_token',
        scope: undefined,
        error_description: 'say "hi" \\ bye',
      }),
    ).toBe('Bearer realm="sandbox", error="invalid_token", error_description="say \\"hi\\" \\\\ bye"');
  });

  it('writes a bare scheme when there are no params', () => {
    expect(formatChallenge('Basic')).toBe('Basic');
  });
});

describe('parseWwwAuthenticate (RFC 9110 §11.6.1)', () => {
  it.each([
    ['Basic realm="sandbox"', [{ scheme: 'Basic', params: { realm: 'sandbox' } }]],
    [
      `Bearer realm="sandbox", error="insufficient_scope", scope="${writeScope}", resource_metadata="http://x/.well-known/oauth-protected-resource/api"`,
      [
        {
          scheme: 'Bearer',
          params: {
            realm: 'sandbox',
            error: 'insufficient_scope',
            scope: writeScope,
            resource_metadata: 'http://x/.well-known/oauth-protected-resource/api',
          },
        },
      ],
    ],
    ['Bearer', [{ scheme: 'Bearer', params: {} }]],
    ['Bearer error=invalid_token', [{ scheme: 'Bearer', params: { error: 'invalid_token' } }]],
    [
      'Newauth abc==, Basic REALM="a, b"',
      [
        { scheme: 'Newauth', params: {}, token68: 'abc==' },
        { scheme: 'Basic', params: { realm: 'a, b' } },
      ],
    ],
    [
      'Basic realm="x", Bearer realm="y", error="invalid_token"',
      [
        { scheme: 'Basic', params: { realm: 'x' } },
        { scheme: 'Bearer', params: { realm: 'y', error: 'invalid_token' } },
      ],
    ],
    [
      'Bearer error_description="a \\"quoted\\" word"',
      [{ scheme: 'Bearer', params: { error_description: 'a "quoted" word' } }],
    ],
  ])('parses %s', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it.each(['Bearer realm="unterminated', 'Bearer realm="a" b', '=x', 'Bearer realm="a" junk="'])(
    'refuses the malformed %j',
    (header) => {
      expect(parseWwwAuthenticate(header)).toBeUndefined();
    },
  );

  it('reads back what formatChallenge writes', () => {
    const params = {
      realm: 'sandbox',
      error: 'invalid_token',
      error_description: 'The token "x" expired, sorry.',
    };
    expect(parseWwwAuthenticate(formatChallenge('Bearer', params))).toEqual([{ scheme: 'Bearer', params }]);
  });
});
