// Gets a token with private_key_jwt (RFC 7523) and calls the API. Java 15+ standard library
// (Ed25519 is built in since Java 15): the assertion is built here, a JWT being three base64url
// parts. Run: java PrivateKeyJwt.java
// Reads CLIENT_ID, KEY_ID, PRIVATE_KEY_FILE (an Ed25519 key, PKCS#8 PEM) and SANDBOX_URL.
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

public class PrivateKeyJwt {
  static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) throw new IllegalStateException("Set " + name + " in the environment.");
    return value;
  }

  static PrivateKey loadKey(String path) throws Exception {
    String pem = Files.readString(Path.of(path));
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  static String base64url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String json(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** RFC 7523 §3: iss and sub the client, aud the issuer, 60 seconds of life, a fresh jti. Use once. */
  static String clientAssertion(PrivateKey key, String clientId, String keyId, String issuer) throws Exception {
    byte[] jti = new byte[16];
    new SecureRandom().nextBytes(jti);
    long now = Instant.now().getEpochSecond();
    String header = "{\"alg\":\"EdDSA\",\"kid\":" + json(keyId) + "}";
    String claims = "{\"iss\":" + json(clientId) + ",\"sub\":" + json(clientId) + ",\"aud\":" + json(issuer)
        + ",\"iat\":" + now + ",\"exp\":" + (now + 60) + ",\"jti\":" + json(HexFormat.of().formatHex(jti)) + "}";
    String signingInput = base64url(header.getBytes(StandardCharsets.UTF_8)) + "."
        + base64url(claims.getBytes(StandardCharsets.UTF_8));
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(key);
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + base64url(signer.sign());
  }

  static String field(String json, String name) {
    var matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*(\"([^\"]*)\"|(\\d+))").matcher(json);
    if (!matcher.find()) return null;
    return matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
  }

  public static void main(String[] args) throws Exception {
    String sandboxUrl = env("SANDBOX_URL");
    String clientId = env("CLIENT_ID");
    PrivateKey key = loadKey(env("PRIVATE_KEY_FILE"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Map<String, String> form = Map.of(
        "grant_type", "client_credentials",
        "scope", "{{READ_SCOPE}}",
        "client_id", clientId,
        "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        // The sandbox's issuer identifier is its origin.
        "client_assertion", clientAssertion(key, clientId, env("KEY_ID"), sandboxUrl));
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(sandboxUrl + "/oauth/token"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      System.err.println("token request: HTTP " + response.statusCode() + " " + response.body());
      System.exit(1);
    }
    String accessToken = field(response.body(), "access_token");
    System.out.println("token_type: " + field(response.body(), "token_type"));
    System.out.println("expires_in: " + field(response.body(), "expires_in"));
    System.out.println("scope: " + field(response.body(), "scope"));
    System.out.println("access_token: " + accessToken.length() + " characters, not printed");

    HttpResponse<Void> api = http.send(
        HttpRequest.newBuilder(URI.create(sandboxUrl + "/api/v1/reports"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + accessToken)
            .build(),
        HttpResponse.BodyHandlers.discarding());
    System.out.println("GET /api/v1/reports: HTTP " + api.statusCode());
    if (api.statusCode() != 200) System.exit(1);
  }
}
