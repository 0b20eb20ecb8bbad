import type { KeyTokenRequestShape } from '../../../playground-shared/playground-store.ts';
import { literal } from '../../program-parts.ts';
import { commonParts } from '../common-parts.ts';
import { claimsComment, keyFormEntries, keyHeader } from './key-program-parts.ts';

const parts = commonParts['C#'];

/**
 * C#, .NET 10 file-based app. ES256 with the base library's ECDsa; Ed25519 is not in .NET's base
 * library, so that program uses NSec (libsodium), pulled in by a #:package line.
 */
export function csharpKeyProgram(shape: KeyTokenRequestShape, origin: string, run: string): string {
  const ed25519 = shape.alg === 'EdDSA';
  const fields = keyFormEntries(shape).map(([name, value]) => `    [${literal(name)}] = ${literal(value)},`);
  return `${[
    keyHeader(shape, '//', run),
    ...(ed25519 ? ['#:package NSec.Cryptography@24.4.0', ''] : []),
    'using System.Net.Http.Headers;',
    ...(ed25519 ? [] : ['using System.Security.Cryptography;']),
    'using System.Text;',
    'using System.Text.Json;',
    ...(ed25519 ? ['using NSec.Cryptography;'] : []),
    '',
    ...parts.helpers,
    "static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');",
    '',
    ...parts.sandboxUrl(origin),
    'var clientId = Env("CLIENT_ID");',
    '',
    `// ${claimsComment}`,
    'var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();',
    `var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = ${literal(shape.alg)}, ["kid"] = Env("KEY_ID") }));`,
    'var claims = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>',
    '{',
    '    ["iss"] = clientId, ["sub"] = clientId, ["aud"] = sandboxUrl, ["iat"] = now, ["exp"] = now + 60, ["jti"] = Guid.NewGuid().ToString(),',
    '}));',
    'var signingInput = Encoding.ASCII.GetBytes($"{header}.{claims}");',
    ...(ed25519
      ? [
          'using var key = Key.Import(SignatureAlgorithm.Ed25519, File.ReadAllBytes(Env("PRIVATE_KEY_FILE")), KeyBlobFormat.PkixPrivateKeyText);',
          'var signature = SignatureAlgorithm.Ed25519.Sign(key, signingInput);',
        ]
      : [
          'using var key = ECDsa.Create();',
          'key.ImportFromPem(File.ReadAllText(Env("PRIVATE_KEY_FILE")));',
          '// SignData gives r || s (IEEE P1363), the form JWS wants (RFC 7518 §3.4).',
          'var signature = key.SignData(signingInput, HashAlgorithmName.SHA256);',
        ]),
    'var assertion = $"{header}.{claims}.{Encode(signature)}";',
    '',
    'using var http = new HttpClient();',
    'var form = new Dictionary<string, string>',
    '{',
    ...fields,
    '    ["client_id"] = clientId,',
    '    ["client_assertion"] = assertion,',
    '};',
    'using var request = new HttpRequestMessage(HttpMethod.Post, $"{sandboxUrl}/oauth/token") { Content = new FormUrlEncodedContent(form) };',
    ...parts.sendAndPrint,
  ].join('\n')}\n`;
}
