import type { KeyTokenRequestShape } from '../../../playground-shared/playground-store.ts';
import { literal } from '../../program-parts.ts';
import { commonParts } from '../common-parts.ts';
import { claimsComment, keyFormEntries, keyHeader } from './key-program-parts.ts';

const parts = commonParts.TypeScript;

/** TypeScript, Node's crypto only: builds and signs the assertion, then requests the token. */
export function typescriptKeyProgram(shape: KeyTokenRequestShape, origin: string, run: string): string {
  const form = keyFormEntries(shape).map(([name, value]) => `${name}: ${literal(value)}`);
  const signing =
    shape.alg === 'EdDSA'
      ? [
          '// Ed25519 signs the message itself: no digest algorithm.',
          'const signature = sign(null, signingInput, key);',
        ]
      : [
          '// JWS wants the ECDSA signature as r || s (RFC 7518 §3.4), not the DER that is the default.',
          "const signature = sign('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' });",
        ];
  return `${[
    keyHeader(shape, '//', run),
    "import { createPrivateKey, randomUUID, sign } from 'node:crypto';",
    "import { readFileSync } from 'node:fs';",
    '',
    ...parts.helpers,
    '',
    ...parts.sandboxUrl(origin),
    "const clientId = env('CLIENT_ID');",
    "const key = createPrivateKey(readFileSync(env('PRIVATE_KEY_FILE')));",
    '',
    `// ${claimsComment}`,
    'const now = Math.floor(Date.now() / 1000);',
    "const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');",
    `const header = encode({ alg: '${shape.alg}', kid: env('KEY_ID') });`,
    'const claims = encode({ iss: clientId, sub: clientId, aud: sandboxUrl, iat: now, exp: now + 60, jti: randomUUID() });',
    'const signingInput = Buffer.from(`${header}.${claims}`);',
    ...signing,
    "const assertion = `${header}.${claims}.${signature.toString('base64url')}`;",
    '',
    'const response = await fetch(`${sandboxUrl}/oauth/token`, {',
    "  method: 'POST',",
    "  headers: { accept: 'application/json' },",
    '  // A URLSearchParams body is sent as application/x-www-form-urlencoded.',
    `  body: new URLSearchParams({ ${form.join(', ')}, client_id: clientId, client_assertion: assertion }),`,
    '});',
    '',
    ...parts.sendAndPrint,
  ].join('\n')}\n`;
}
