import type { KeyTokenRequestShape } from '../../../playground-shared/playground-store.ts';
import { literal } from '../../program-parts.ts';
import { commonParts, goPrelude } from '../common-parts.ts';
import { claimsComment, keyFormEntries, keyHeader } from './key-program-parts.ts';

const parts = commonParts.Go;

/** Go, the standard library only: PKCS#8 key, the JWS by hand, the form by net/url. */
export function goKeyProgram(shape: KeyTokenRequestShape, origin: string, run: string): string {
  const ed25519 = shape.alg === 'EdDSA';
  const imports = [
    ...(ed25519 ? ['"crypto/ed25519"'] : ['"crypto/ecdsa"', '"crypto/sha256"']),
    '"crypto/rand"',
    '"crypto/x509"',
    '"encoding/base64"',
    '"encoding/hex"',
    '"encoding/json"',
    '"encoding/pem"',
    '"fmt"',
    '"io"',
    '"net/http"',
    '"net/url"',
    '"os"',
    '"strings"',
    '"time"',
  ];
  const entries = keyFormEntries(shape).map(([name, value]) => `${literal(name)}: {${literal(value)}}`);
  const signing = ed25519
    ? ['\tsignature := ed25519.Sign(key.(ed25519.PrivateKey), []byte(signingInput))']
    : [
        '\tdigest := sha256.Sum256([]byte(signingInput))',
        '\tr, s, err := ecdsa.Sign(rand.Reader, key.(*ecdsa.PrivateKey), digest[:])',
        '\tcheck(err)',
        '\t// JWS wants r || s, each 32 bytes (RFC 7518 §3.4).',
        '\tsignature := make([]byte, 64)',
        '\tr.FillBytes(signature[:32])',
        '\ts.FillBytes(signature[32:])',
      ];
  return `${[
    keyHeader(shape, '//', run),
    ...goPrelude(imports),
    '',
    'func encode(value any) string {',
    '\tdata, err := json.Marshal(value)',
    '\tcheck(err)',
    '\treturn base64.RawURLEncoding.EncodeToString(data)',
    '}',
    '',
    'func main() {',
    ...parts.sandboxUrl(origin),
    '\tclientID := env("CLIENT_ID")',
    '\tpemBytes, err := os.ReadFile(env("PRIVATE_KEY_FILE"))',
    '\tcheck(err)',
    '\tblock, _ := pem.Decode(pemBytes)',
    '\tif block == nil {',
    '\t\tpanic("PRIVATE_KEY_FILE holds no PEM block")',
    '\t}',
    '\tkey, err := x509.ParsePKCS8PrivateKey(block.Bytes)',
    '\tcheck(err)',
    '',
    `\t// ${claimsComment}`,
    '\tjti := make([]byte, 16)',
    '\t_, err = rand.Read(jti)',
    '\tcheck(err)',
    '\tnow := time.Now().Unix()',
    `\theader := encode(map[string]string{"alg": ${literal(shape.alg)}, "kid": env("KEY_ID")})`,
    '\tclaims := encode(map[string]any{"iss": clientID, "sub": clientID, "aud": sandboxURL, "iat": now, "exp": now + 60, "jti": hex.EncodeToString(jti)})',
    '\tsigningInput := header + "." + claims',
    ...signing,
    '\tassertion := signingInput + "." + base64.RawURLEncoding.EncodeToString(signature)',
    '',
    `\tform := url.Values{${[...entries, '"client_id": {clientID}', '"client_assertion": {assertion}'].join(', ')}}`,
    '\trequest, err := http.NewRequest(http.MethodPost, sandboxURL+"/oauth/token", strings.NewReader(form.Encode()))',
    '\tcheck(err)',
    '\trequest.Header.Set("Content-Type", "application/x-www-form-urlencoded")',
    '\trequest.Header.Set("Accept", "application/json")',
    '',
    ...parts.sendAndPrint,
  ].join('\n')}\n`;
}
