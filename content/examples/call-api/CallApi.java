// Gets an access token, then calls the API with it.
// Run: java CallApi.java (Java 17 or later; no dependencies).
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

public class CallApi {
    static final HttpClient http = HttpClient.newHttpClient();

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) throw new IllegalStateException("Set " + name + " in the environment.");
        return value;
    }

    static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Reads one string member of a flat JSON object; a real application uses a JSON library. */
    static String jsonString(String json, String name) {
        Matcher match = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return match.find() ? match.group(1) : null;
    }

    static String requestAccessToken(String tokenUrl) throws Exception {
        String credentials = formEncode(env("CLIENT_ID")) + ":" + formEncode(env("CLIENT_SECRET"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + formEncode("{{READ_SCOPE}}")))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Token request failed: HTTP " + response.statusCode() + " " + jsonString(response.body(), "error"));
        }
        return jsonString(response.body(), "access_token");
    }

    public static void main(String[] args) throws Exception {
        String tokenUrl = env("SANDBOX_URL") + "/oauth/token";
        String apiBaseUrl = env("SANDBOX_URL") + "/api/v1";

        String accessToken = requestAccessToken(tokenUrl);

        // RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/reports"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        System.out.println("GET /api/v1/reports: HTTP " + response.statusCode());
        if (response.statusCode() != 200) {
            // RFC 6750 §3: the reason is in the WWW-Authenticate header.
            System.err.println("WWW-Authenticate: " + response.headers().firstValue("WWW-Authenticate").orElse(""));
            System.exit(1);
        }
        System.out.println(response.body());
    }
}
