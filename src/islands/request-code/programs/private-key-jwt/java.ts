import type { KeyTokenRequestShape } from '../../../playground-shared/playground-store.ts';
import { literal } from '../../program-parts.ts';
import { commonParts, javaFormHelper } from '../common-parts.ts';
import { claimsComment, keyFormEntries, keyHeader } from './key-program-parts.ts';

const java = commonParts.Java;

/** Java 15 or later, the JDK only: PKCS#8 key, the JWS by hand, java.net.http for the call. */
export function javaKeyProgram(shape: KeyTokenRequestShape, origin: string, run: string): string {
  const ed25519 = shape.alg === 'EdDSA';
  const parts = keyFormEntries(shape).map(([name, value]) => `"${name}=" + form(${literal(value)})`);
  parts.push('"client_id=" + form(clientId)', '"client_assertion=" + form(assertion)');
  return `${[
    keyHeader(shape, '//', run),
    'import java.net.URI;',
    'import java.net.URLEncoder;',
    'import java.net.http.HttpClient;',
    'import java.net.http.HttpRequest;',
    'import java.net.http.HttpResponse;',
    'import java.nio.charset.StandardCharsets;',
    'import java.nio.file.Files;',
    'import java.nio.file.Path;',
    'import java.security.KeyFactory;',
    'import java.security.PrivateKey;',
    'import java.security.Signature;',
    'import java.security.spec.PKCS8EncodedKeySpec;',
    'import java.util.Base64;',
    'import java.util.UUID;',
    '',
    'public class RequestToken {',
    ...java.helpers,
    '',
    ...javaFormHelper,
    '',
    '    /** A JSON string: the values here are IDs and URLs, so escaping \\ and " is enough. */',
    '    static String json(String value) {',
    '        return "\\"" + value.replace("\\\\", "\\\\\\\\").replace("\\"", "\\\\\\"") + "\\"";',
    '    }',
    '',
    '    static String encode(String json) {',
    '        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));',
    '    }',
    '',
    '    public static void main(String[] args) throws Exception {',
    ...java.sandboxUrl(origin),
    '        String clientId = env("CLIENT_ID");',
    '        String pem = Files.readString(Path.of(env("PRIVATE_KEY_FILE")));',
    '        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[^-]+-----", ""));',
    `        PrivateKey key = KeyFactory.getInstance("${ed25519 ? 'Ed25519' : 'EC'}").generatePrivate(new PKCS8EncodedKeySpec(der));`,
    '',
    `        // ${claimsComment}`,
    '        long now = System.currentTimeMillis() / 1000;',
    `        String header = encode("{\\"alg\\":\\"${shape.alg}\\",\\"kid\\":" + json(env("KEY_ID")) + "}");`,
    '        String claims = encode("{\\"iss\\":" + json(clientId) + ",\\"sub\\":" + json(clientId) + ",\\"aud\\":" + json(sandboxUrl)',
    '            + ",\\"iat\\":" + now + ",\\"exp\\":" + (now + 60) + ",\\"jti\\":" + json(UUID.randomUUID().toString()) + "}");',
    ...(ed25519
      ? ['        Signature signer = Signature.getInstance("Ed25519");']
      : [
          '        // JWS wants the ECDSA signature as r || s (RFC 7518 §3.4): the P1363 format, not DER.',
          '        Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");',
        ]),
    '        signer.initSign(key);',
    '        signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));',
    '        String assertion = header + "." + claims + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());',
    '',
    `        String body = ${parts.join(' + "&" + ')};`,
    '        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sandboxUrl + "/oauth/token"))',
    '            .header("Content-Type", "application/x-www-form-urlencoded")',
    '            .header("Accept", "application/json")',
    '            .POST(HttpRequest.BodyPublishers.ofString(body));',
    ...java.sendAndPrint,
  ].join('\n')}\n`;
}
