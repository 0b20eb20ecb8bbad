/**
 * The JWT decoder the playground's token inspector uses (src/lib/jwt.ts `decodeJwt`, with the
 * island's pure explanation functions in src/islands/token-inspector/token-inspector.ts), under
 * arbitrary pasted text and arbitrary tokens. Properties: it never throws; it reads back any
 * header and payload; markup inside a token comes back as the same string, data only: decoding
 * runs nothing (a planted script never runs, no prototype is touched), and rendering the
 * explanations the way the island does (React text children) emits it escaped.
 */
import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeBase64url } from '../../src/lib/base64url.ts';
import { decodeJwt } from '../../src/lib/jwt.ts';
import {
  explainClaims,
  explainHeader,
  inspectionWarnings,
} from '../../src/islands/token-inspector/token-inspector.ts';
import { fuzzParameters, fuzzTestTimeout } from './fuzz-settings.ts';

vi.setConfig({ testTimeout: fuzzTestTimeout });

const compact = (header: unknown, payload: unknown, signature: Uint8Array) =>
  `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(payload))}.${encodeBase64url(signature)}`;

/** Markup and script fragments a hostile token might carry in a claim. */
const markup = fc.constantFrom(
  '<script>globalThis.__jwtFuzzRan = true</script>',
  '<img src=x onerror="globalThis.__jwtFuzzRan = true">',
  '"><svg onload=globalThis.__jwtFuzzRan=true>',
  'javascript:globalThis.__jwtFuzzRan=true',
  '${globalThis.__jwtFuzzRan = true}',
  '{{constructor.constructor("globalThis.__jwtFuzzRan = true")()}}',
  '</code><b>bold</b>',
);
const claimValue = fc.oneof(
  markup,
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.jsonValue({ maxDepth: 2 }),
);
const claims = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'nbf',
      'jti',
      'scope',
      'client_id',
      '__proto__',
      'constructor',
      'toString',
    ),
    fc.string({ maxLength: 10 }),
  ),
  claimValue,
  { maxKeys: 8 },
);
const header = fc.dictionary(
  fc.constantFrom('alg', 'typ', 'kid', 'jku', 'cty', '__proto__', 'x'),
  claimValue,
  { maxKeys: 5 },
);

afterEach(() => {
  expect((globalThis as { __jwtFuzzRan?: boolean }).__jwtFuzzRan).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('decodeJwt (the playground decoder)', () => {
  it('answers any pasted text with a decoded token or a labelled problem, never an exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc
            .array(
              fc.oneof(
                fc.base64String({ maxLength: 40 }),
                fc.string({
                  unit: fc.constantFrom('A', '-', '_', '=', '+', '/', 'e', 'y', 'J'),
                  maxLength: 40,
                }),
              ),
              { maxLength: 6 },
            )
            .map((parts) => parts.join('.')),
          fc
            .tuple(
              fc.constantFrom('', 'Bearer ', 'bearer\t', '  '),
              claims,
              header,
              fc.uint8Array({ maxLength: 64 }),
            )
            .map(([prefix, payload, head, signature]) => prefix + compact(head, payload, signature)),
        ),
        (text) => {
          const result = decodeJwt(text);
          if (!result.ok) {
            expect(typeof result.message).toBe('string');
            return;
          }
          expect(() => explainHeader(result.jwt.header)).not.toThrow();
          expect(() => explainClaims(result.jwt.payload)).not.toThrow();
          expect(() =>
            inspectionWarnings(result.jwt, Date.UTC(2030, 0, 1), {
              issuer: 'http://localhost:4321',
              audience: 'http://localhost:4321/api',
            }),
          ).not.toThrow();
        },
      ),
      fuzzParameters(31, 5000),
    );
  });

  it('reads back any header and payload, markup included, as the same data', () => {
    fc.assert(
      fc.property(header, claims, fc.uint8Array({ maxLength: 64 }), (head, payload, signature) => {
        const result = decodeJwt(compact(head, payload, signature));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.jwt.header).toEqual(JSON.parse(JSON.stringify(head)));
        expect(result.jwt.payload).toEqual(JSON.parse(JSON.stringify(payload)));
        expect(result.jwt.signatureBytes).toBe(signature.length);
      }),
      fuzzParameters(32, 4000),
    );
  });

  it('shows markup from a token as text: the explanations keep it verbatim and rendering escapes it', () => {
    fc.assert(
      fc.property(markup, fc.constantFrom('sub', 'scope', 'x-claim', 'kid'), (value, name) => {
        const result = decodeJwt(
          compact({ alg: 'EdDSA', typ: 'at+jwt', kid: value }, { [name]: value, exp: 1 }, new Uint8Array(64)),
        );
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const rows = [...explainHeader(result.jwt.header), ...explainClaims(result.jwt.payload)];
        const shown = rows.filter((row) => row.display === value);
        expect(shown.length).toBeGreaterThanOrEqual(1);
        // The island renders row.display as a text child of <code>, as here.
        const html = renderToStaticMarkup(
          createElement(
            'dl',
            null,
            rows.map((row) =>
              createElement('dd', { key: row.name }, createElement('code', null, row.display)),
            ),
          ),
        );
        expect(html).not.toMatch(/<(script|img|svg|b)[\s>]/i);
        expect(html.match(/<code>/g)).toHaveLength(rows.length);
      }),
      fuzzParameters(33, 2000),
    );
  });
});
