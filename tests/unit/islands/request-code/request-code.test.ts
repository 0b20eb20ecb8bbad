import { describe, expect, it } from 'vitest';
import {
  codeLanguages,
  generateCode,
  pickShape,
  programFile,
  shellQuote,
  type CodeLanguage,
} from '../../../../src/islands/request-code/request-code.ts';
import type { RequestShape } from '../../../../src/islands/playground-shared/playground-store.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';
import { encodeFormComponent } from '../../../../src/lib/form-urlencoding.ts';

const { readScope, writeScope } = apiProfile;

const origin = 'http://localhost:4321';
const shapes: [string, RequestShape][] = [
  [
    'token, Basic header, one scope',
    { kind: 'token', authMethod: 'client_secret_basic', scopes: [readScope] },
  ],
  ['token, form body, no scope', { kind: 'token', authMethod: 'client_secret_post', scopes: [] }],
  ['GET /api/v1/reports', { kind: 'api', method: 'GET' }],
  ['POST /api/v1/reports', { kind: 'api', method: 'POST', body: '{"title":"It\'s \\"quoted\\""}' }],
];
const cases = shapes.flatMap(([name, shape]) =>
  codeLanguages.map((language) => [name, language, shape] as const),
);

describe('generateCode', () => {
  it.each(cases)(
    '%s in %s reads its secrets from the environment and inlines none',
    (_name, language, shape) => {
      const code = generateCode(shape, language, origin);
      const names =
        shape.kind === 'token'
          ? ['CLIENT_ID', 'CLIENT_SECRET', 'SANDBOX_URL']
          : ['ACCESS_TOKEN', 'SANDBOX_URL'];
      for (const name of names) expect(code).toContain(name);
      expect(code).toContain(origin);
      expect(code).toContain(shape.kind === 'token' ? '/oauth/token' : '/api/v1/reports');
      // Nothing that looks like a credential or a JWT.
      expect(code).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
      expect(code).toContain(programFile(shape, language).run.split(' ')[0]);
    },
  );

  it.each(codeLanguages)('%s sends the scope only when one was asked for', (language) => {
    expect(
      generateCode(
        { kind: 'token', authMethod: 'client_secret_basic', scopes: [readScope, writeScope] },
        language,
        origin,
      ),
    ).toMatch(
      new RegExp(
        [`${readScope} ${writeScope}`, encodeFormComponent(readScope)]
          .map((text) => RegExp.escape(text))
          .join('|'),
      ),
    );
    expect(
      generateCode({ kind: 'token', authMethod: 'client_secret_basic', scopes: [] }, language, origin),
    ).not.toContain('scope');
  });

  it.each(codeLanguages)(
    '%s uses the method the request used: Basic, or the form body',
    (language: CodeLanguage) => {
      const basic = generateCode(
        { kind: 'token', authMethod: 'client_secret_basic', scopes: [] },
        language,
        origin,
      );
      const post = generateCode(
        { kind: 'token', authMethod: 'client_secret_post', scopes: [] },
        language,
        origin,
      );
      expect(basic).toMatch(/Basic|--user|auth=|SetBasicAuth/);
      expect(post).not.toMatch(/Basic |--user|auth=\(|SetBasicAuth/);
      expect(post).toMatch(/client_secret/);
    },
  );

  it('quotes a title with quotes safely for the shell', () => {
    const code = generateCode({ kind: 'api', method: 'POST', body: '{"title":"It\'s"}' }, 'curl', origin);
    expect(code).toContain(`--data '{"title":"It'\\''s"}'`);
    expect(shellQuote("a'b")).toBe("'a'\\''b'");
  });

  it('writes the curl token request the playground sends, line by line', () => {
    expect(
      generateCode({ kind: 'token', authMethod: 'client_secret_basic', scopes: [readScope] }, 'curl', origin),
    ).toBe(
      [
        '# Requests an access token (RFC 6749 §4.4.2).',
        '# Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment. Run: bash request-token.sh',
        "# client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then send them as HTTP Basic credentials. The sandbox's IDs and secrets need no encoding, so --user is enough.",
        `curl -sS -X POST "\${SANDBOX_URL:-${origin}}/oauth/token" \\`,
        '  --user "$CLIENT_ID:$CLIENT_SECRET" \\',
        "  -H 'Accept: application/json' \\",
        "  --data-urlencode 'grant_type=client_credentials' \\",
        `  --data-urlencode 'scope=${readScope}' \\`,
        "  --write-out '\\nHTTP %{http_code}\\n'",
        '',
      ].join('\n'),
    );
  });
});

describe('generateCode for a key pair (private_key_jwt)', () => {
  const keyCases = (['EdDSA', 'ES256'] as const).flatMap((alg) =>
    codeLanguages.map((language) => [alg, language] as const),
  );
  it.each(keyCases)(
    'an %s key in %s: signs an assertion from the key file, sends no secret, names what it needs',
    (alg, language) => {
      const shape: RequestShape = { kind: 'token', authMethod: 'private_key_jwt', alg, scopes: [] };
      const code = generateCode(shape, language, origin);
      for (const name of ['CLIENT_ID', 'KEY_ID', 'PRIVATE_KEY_FILE', 'SANDBOX_URL'])
        expect(code).toContain(name);
      expect(code).not.toContain('CLIENT_SECRET');
      expect(code).not.toMatch(/Basic /);
      expect(code).toContain('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(code).toContain('client_assertion');
      expect(code).toContain(alg);
      // RFC 7523 §3: each claim, and a lifetime of 60 s.
      for (const claim of ['iss', 'sub', 'aud', 'exp', 'jti']) expect(code).toContain(claim);
      expect(code).toMatch(/\+ ?60|\+ 60/);
      expect(code).toContain(programFile(shape, language).run.split(' ')[0]);
    },
  );

  it('says what each program needs to run', () => {
    const shape: RequestShape = { kind: 'token', authMethod: 'private_key_jwt', alg: 'EdDSA', scopes: [] };
    expect(programFile(shape, 'Python')).toEqual({
      name: 'request_token.py',
      run: 'python3 request_token.py (needs requests and PyJWT with cryptography)',
    });
    expect(programFile(shape, 'curl').run).toMatch(/jq and openssl 3/);
  });
});

describe('pickShape', () => {
  const token: RequestShape = { kind: 'token', authMethod: 'client_secret_basic', scopes: [] };
  const api: RequestShape = { kind: 'api', method: 'GET' };
  it.each([
    ['token', 'api', token],
    ['api', 'token', api],
    ['latest', 'api', api],
    ['latest', 'token', token],
    ['latest', undefined, token],
  ] as const)('kind %s with %s last shows the right request', (kind, last, expected) => {
    expect(pickShape(kind, token as never, api as never, last)).toEqual(expected);
  });
  it('has nothing to show before any request', () => {
    expect(pickShape('latest', undefined, undefined, undefined)).toBeUndefined();
    expect(pickShape('api', token as never, undefined, 'token')).toBeUndefined();
  });
});
