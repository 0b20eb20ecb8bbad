/**
 * The sandbox's and the guide's parsers under arbitrary input: the form parser (RFC 6749
 * Appendix B), the Basic credentials parser (RFC 6749 §2.3.1), the scope parser (RFC 6749 §3.3)
 * and the WWW-Authenticate parser (RFC 9110 §11.6.1). Each must answer every input with a value
 * or a labelled refusal, never an unexpected exception, and read back what its encoder wrote.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { encodeBasicCredentials, parseBasicCredentials } from '../../src/lib/basic-auth.ts';
import { decodeFormComponent, encodeFormComponent } from '../../src/lib/form-urlencoding.ts';
import { formatChallenge, parseWwwAuthenticate } from '../../src/lib/www-authenticate.ts';
import { parseScope } from '../../src/sandbox/authorization/scope.ts';
import { readForm } from '../../src/sandbox/http/form.ts';
import { OAuthError } from '../../src/sandbox/http/oauth-error.ts';
import { fuzzParameters, fuzzTestTimeout } from './fuzz-settings.ts';

vi.setConfig({ testTimeout: fuzzTestTimeout });

const formRequest = (body: string | Uint8Array, contentType = 'application/x-www-form-urlencoded') =>
  new Request('http://localhost:4321/oauth/token', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: body as BodyInit,
  });

/** Strings built from the characters form encoding cares about, so escapes and separators collide often. */
const formText = fc.string({
  unit: fc.constantFrom(
    'a',
    'Z',
    '0',
    '=',
    '&',
    '+',
    '%',
    '2',
    'F',
    'g',
    ' ',
    'é',
    '\u{1F600}',
    '\0',
    '%C3',
    '%A9',
    '%ZZ',
  ),
  maxLength: 80,
});

describe('form parser (readForm)', () => {
  it('reads any body as parameters or refuses it with invalid_request, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(formText, fc.string({ unit: 'binary', maxLength: 200 }), fc.uint8Array({ maxLength: 200 })),
        async (body) => {
          try {
            const parameters = await readForm(formRequest(body));
            for (const [name, values] of parameters) {
              expect(typeof name).toBe('string');
              expect(values.length).toBeGreaterThan(0);
              // RFC 6749 §3.2: parameters without a value are omitted.
              for (const value of values) expect(value).not.toBe('');
            }
          } catch (error) {
            expect(error).toBeInstanceOf(OAuthError);
            expect((error as OAuthError).code).toBe('invalid_request');
            expect([400, 413]).toContain((error as OAuthError).status);
          }
        },
      ),
      fuzzParameters(1, 4000),
    );
  });

  it('reads back every form URLSearchParams writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
          { maxKeys: 6 },
        ),
        async (fields) => {
          const parameters = await readForm(formRequest(new URLSearchParams(fields).toString()));
          expect(Object.fromEntries([...parameters].map(([name, values]) => [name, values[0]]))).toEqual(
            fields,
          );
        },
      ),
      fuzzParameters(2, 3000),
    );
  });

  it('decodes what it encodes, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
        // Lone surrogates cannot be UTF-8; the form encoder replaces them, as URLSearchParams does.
        fc.pre(value.isWellFormed());
        expect(decodeFormComponent(encodeFormComponent(value))).toBe(value);
      }),
      fuzzParameters(3, 4000),
    );
  });
});

describe('Basic credentials parser (parseBasicCredentials)', () => {
  const basicLike = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc
      .tuple(
        fc.constantFrom('Basic', 'basic', 'BASIC', 'Bearer', 'Basic  ', ''),
        fc.string({ maxLength: 80 }),
      )
      .map(([scheme, rest]) => `${scheme} ${rest}`),
    fc.uint8Array({ maxLength: 90 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
    fc
      .tuple(formText, formText)
      .map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`),
  );

  it('answers any header with credentials or a labelled problem, never an exception', () => {
    fc.assert(
      fc.property(basicLike, (header) => {
        const result = parseBasicCredentials(header);
        if (result.ok) {
          expect(typeof result.credentials.clientId).toBe('string');
          expect(typeof result.credentials.clientSecret).toBe('string');
        } else {
          expect(['not_basic', 'malformed']).toContain(result.problem);
        }
      }),
      fuzzParameters(4, 5000),
    );
  });

  it('reads back any credentials encodeBasicCredentials wrote (form-encoded before base64)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        (clientId, clientSecret) => {
          fc.pre(clientId.isWellFormed() && clientSecret.isWellFormed());
          expect(parseBasicCredentials(encodeBasicCredentials(clientId, clientSecret))).toEqual({
            ok: true,
            credentials: { clientId, clientSecret },
          });
        },
      ),
      fuzzParameters(5, 4000),
    );
  });
});

describe('scope parser (parseScope)', () => {
  const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

  it('answers any string with distinct well-formed scope tokens or undefined', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary-ascii', maxLength: 60 }),
          fc.string({ unit: fc.constantFrom('a', ':', ' ', '"', '\\', 'r', '\t', 'é'), maxLength: 40 }),
          fc.string({ minLength: 990, maxLength: 1100 }),
        ),
        (value) => {
          const scopes = parseScope(value);
          if (scopes === undefined) return;
          expect(scopes.length).toBeGreaterThan(0);
          expect(new Set(scopes).size).toBe(scopes.length);
          for (const scope of scopes) expect(scope).toMatch(scopeToken);
          expect(value.split(' ').every((token) => scopes.includes(token))).toBe(true);
        },
      ),
      fuzzParameters(6, 5000),
    );
  });

  it('reads back any list of scope tokens joined by single spaces', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[\x21\x23-\x5B\x5D-\x7E]{1,12}$/), { minLength: 1, maxLength: 8 }),
        (tokens) => {
          expect(parseScope(tokens.join(' '))).toEqual([...new Set(tokens)]);
        },
      ),
      fuzzParameters(7, 3000),
    );
  });
});

describe('WWW-Authenticate parser (parseWwwAuthenticate)', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,10}$/);

  it('answers any header with challenges or undefined, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 120 }),
          fc.string({
            unit: fc.constantFrom(
              'Bearer',
              'Basic',
              ' ',
              ',',
              '=',
              '"',
              '\\',
              'realm',
              'error',
              'a',
              '\t',
              '==',
            ),
            maxLength: 40,
          }),
        ),
        (header) => {
          const challenges = parseWwwAuthenticate(header);
          if (challenges === undefined) return;
          for (const challenge of challenges) {
            expect(challenge.scheme).toMatch(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/);
            for (const name of Object.keys(challenge.params)) expect(name).toBe(name.toLowerCase());
          }
        },
      ),
      fuzzParameters(8, 5000),
    );
  });

  it('reads back any challenge formatChallenge wrote, parameter values quoted and escaped', () => {
    fc.assert(
      fc.property(
        token,
        fc.dictionary(
          token.map((name) => name.toLowerCase()),
          fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', ',', '=', 'é', 'Z'), maxLength: 20 }),
          { minKeys: 1, maxKeys: 5 },
        ),
        (scheme, params) => {
          expect(parseWwwAuthenticate(formatChallenge(scheme, params))).toEqual([{ scheme, params }]);
        },
      ),
      fuzzParameters(9, 3000),
    );
  });
});
