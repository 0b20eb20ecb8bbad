// Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints
// what came back. Run: java RequestToken.java (Java 17 or later; no dependencies).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class RequestToken {
    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) throw new IllegalStateException("Set " + name + " in the environment.");
        return value;
    }

    static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Reads one string or number member of a flat JSON object. A real application uses a JSON
     * library (Jackson, Gson); this keeps the sample to one file with no dependency.
     */
    static String jsonField(String json, String name) {
        Matcher match = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?[0-9.]+))").matcher(json);
        if (!match.find()) return null;
        return match.group(1) != null ? match.group(1) : match.group(2);
    }

    public static void main(String[] args) throws Exception {
        String tokenUrl = env("SANDBOX_URL") + "/oauth/token";

        // client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, join them
        // with ":", then base64 the result into an HTTP Basic header.
        String credentials = formEncode(env("CLIENT_ID")) + ":" + formEncode(env("CLIENT_SECRET"));
        String basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));

        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + formEncode("{{READ_SCOPE}}")))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();

        if (response.statusCode() != 200) {
            // RFC 6749 §5.2: an error answer names the problem in "error".
            System.err.printf("Token request failed: HTTP %d %s: %s%n", response.statusCode(), jsonField(body, "error"), jsonField(body, "error_description"));
            System.exit(1);
        }

        System.out.println("token_type: " + jsonField(body, "token_type"));
        System.out.println("expires_in: " + jsonField(body, "expires_in"));
        System.out.println("scope: " + jsonField(body, "scope"));
        // The token is a credential: print its length, never the token itself.
        System.out.println("access_token: " + jsonField(body, "access_token").length() + " characters, not printed");
    }
}
