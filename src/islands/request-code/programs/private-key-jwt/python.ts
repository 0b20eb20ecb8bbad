import type { KeyTokenRequestShape } from '../../../playground-shared/playground-store.ts';
import { literal } from '../../program-parts.ts';
import { commonParts } from '../common-parts.ts';
import { claimsComment, keyFormEntries, keyHeader } from './key-program-parts.ts';

const parts = commonParts.Python;

/** Python, PyJWT (with cryptography) for the assertion and requests for the call. */
export function pythonKeyProgram(shape: KeyTokenRequestShape, origin: string, run: string): string {
  const data = keyFormEntries(shape).map(([name, value]) => `${literal(name)}: ${literal(value)}`);
  return `${[
    keyHeader(shape, '#', run),
    'import os',
    'import time',
    'import uuid',
    '',
    'import jwt  # PyJWT',
    'import requests',
    '',
    ...parts.sandboxUrl(origin),
    'client_id = os.environ["CLIENT_ID"]',
    'with open(os.environ["PRIVATE_KEY_FILE"]) as key_file:',
    '    private_key = key_file.read()',
    '',
    `# ${claimsComment}`,
    'now = int(time.time())',
    'assertion = jwt.encode(',
    '    {"iss": client_id, "sub": client_id, "aud": sandbox_url, "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())},',
    '    private_key,',
    `    algorithm=${literal(shape.alg)},`,
    '    headers={"kid": os.environ["KEY_ID"]},',
    ')',
    '',
    'response = requests.post(',
    '    f"{sandbox_url}/oauth/token",',
    `    data={${[...data, '"client_id": client_id', '"client_assertion": assertion'].join(', ')}},`,
    '    headers={"Accept": "application/json"},',
    '    timeout=10,',
    ')',
    '',
    ...parts.sendAndPrint,
  ].join('\n')}\n`;
}
