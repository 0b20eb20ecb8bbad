import { describe, expect, it } from 'vitest';
import { correctedRequestShapes } from '../../../../src/islands/request-code/corrected-request-shapes.ts';
import { codeLanguages, generateCode } from '../../../../src/islands/request-code/request-code.ts';
import { apiProfile } from '../../../../src/lib/api-profile.ts';
import { findingCodes } from '../../../../src/lib/finding-catalogue.ts';

// The errors page shows each finding's corrected request as a program in every language of the
// guide (issue 11). The programs themselves run against a real sandbox in
// tests/integration/request-code.test.ts; here: every finding has one, and it is the right request.
const teamProfile = { readScope: 'ledger.read', writeScope: 'ledger.write' };

describe('the corrected request of every finding, as programs', () => {
  it.each(findingCodes)('%s: at least one request, a program in every language', (code) => {
    const shapes = correctedRequestShapes(code, apiProfile);
    expect(shapes.length).toBeGreaterThan(0);
    for (const shape of shapes)
      for (const language of codeLanguages) {
        const program = generateCode(shape, language, 'https://guide.example.com');
        expect(program.length, `${code} in ${language}`).toBeGreaterThan(100);
      }
  });

  it.each([
    ['json_body', [{ kind: 'token', authMethod: 'client_secret_basic', scopes: ['ledger.read'] }]],
    ['insufficient_scope', [{ kind: 'token', authMethod: 'client_secret_basic', scopes: ['ledger.write'] }]],
    [
      'assertion_replayed',
      [{ kind: 'token', authMethod: 'private_key_jwt', alg: 'ES256', scopes: ['ledger.read'] }],
    ],
    ['bearer_prefix_repeated', [{ kind: 'api', method: 'GET' }]],
    [
      'token_expired',
      [
        { kind: 'token', authMethod: 'client_secret_basic', scopes: ['ledger.read'] },
        { kind: 'api', method: 'GET' },
      ],
    ],
  ] as const)("%s: the request that fixes it, with the team's scopes", (code, expected) => {
    expect(correctedRequestShapes(code, teamProfile)).toEqual(expected);
  });

  it('offers every client authentication method for wrong_auth_method', () => {
    const methods = correctedRequestShapes('wrong_auth_method', apiProfile).map((shape) =>
      shape.kind === 'token' ? shape.authMethod : shape.kind,
    );
    expect(methods).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);
  });
});
