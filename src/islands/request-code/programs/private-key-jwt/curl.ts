import type { KeyTokenRequestShape } from '../../../playground-shared/playground-store.ts';
import { shellQuote } from '../../program-parts.ts';
import { claimsComment, keyFormEntries, keyHeader } from './key-program-parts.ts';

/** bash with openssl 3 and jq: the assertion signed by openssl, sent by curl. */
export function curlKeyProgram(shape: KeyTokenRequestShape, origin: string, run: string): string {
  const signing =
    shape.alg === 'EdDSA'
      ? [
          '# openssl 3 signs Ed25519 in one shot, from a file.',
          'signature=$(openssl pkeyutl -sign -rawin -inkey "$PRIVATE_KEY_FILE" -in "$signing_input" | b64url)',
        ]
      : [
          '# openssl writes an ECDSA signature as DER; JWS wants r || s, 32 bytes each (RFC 7518 §3.4).',
          'r_s=$(openssl dgst -sha256 -sign "$PRIVATE_KEY_FILE" "$signing_input" | openssl asn1parse -inform DER |',
          '  awk -F: \'/INTEGER/ { h = $NF; if (length(h) > 64) h = substr(h, length(h) - 63); while (length(h) < 64) h = "0" h; printf "%s", h }\')',
          'signature=$(printf \'%s\' "$r_s" | xxd -r -p | b64url)',
        ];
  const fields = keyFormEntries(shape).map(
    ([name, value]) => `  --data-urlencode ${shellQuote(`${name}=${value}`)}`,
  );
  fields.push(
    '  --data-urlencode "client_id=$CLIENT_ID"',
    '  --data-urlencode "client_assertion=$header.$claims.$signature"',
  );
  return `${[
    keyHeader(shape, '#', run),
    '# Needs bash, curl, jq and openssl 3.',
    'set -euo pipefail',
    ': "${CLIENT_ID:?Set CLIENT_ID}" "${KEY_ID:?Set KEY_ID}" "${PRIVATE_KEY_FILE:?Set PRIVATE_KEY_FILE}"',
    `sandbox_url="\${SANDBOX_URL:-${origin}}"`,
    "b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }",
    '',
    `# ${claimsComment}`,
    'now=$(date +%s)',
    `header=$(jq -cn --arg kid "$KEY_ID" '{alg: "${shape.alg}", kid: $kid}' | b64url)`,
    'claims=$(jq -cn --arg id "$CLIENT_ID" --arg aud "$sandbox_url" --arg jti "$(openssl rand -hex 16)" --argjson now "$now" \\',
    "  '{iss: $id, sub: $id, aud: $aud, iat: $now, exp: ($now + 60), jti: $jti}' | b64url)",
    'signing_input=$(mktemp)',
    'trap \'rm -f "$signing_input"\' EXIT',
    'printf \'%s.%s\' "$header" "$claims" >"$signing_input"',
    ...signing,
    '',
    'curl -sS -X POST "$sandbox_url/oauth/token" \\',
    "  -H 'Accept: application/json' \\",
    `${fields.join(' \\\n')} \\`,
    "  --write-out '\\nHTTP %{http_code}\\n'",
  ].join('\n')}\n`;
}
