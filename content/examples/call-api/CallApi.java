// Gets an access token, then calls the API with it. Java 17 or later, and Gson
// (com.google.code.gson:gson, or Debian's libgoogle-gson-java) for JSON.
// Run: java -cp gson.jar CallApi.java
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

public class CallApi {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    // Redirect.NEVER: a redirected token request would carry the secret elsewhere.
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        if (value != null && !value.isEmpty()) return value;
        if (fallback == null) fail("Set " + name + " in the environment.");
        return fallback;
    }

    static String sandboxDefault(String path) {
        String sandbox = System.getenv("SANDBOX_URL");
        return sandbox == null || sandbox.isEmpty() ? null : sandbox + path;
    }

    /** Ends the program with one line on stderr and exit code 1: no stack trace. */
    static void fail(String message) {
        System.err.println(message);
        System.exit(1);
    }

    static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object, or null when it is not one (an HTML error page, say). */
    static JsonObject jsonObject(String body) {
        try {
            JsonElement json = JsonParser.parseString(body);
            return json.isJsonObject() ? json.getAsJsonObject() : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** A string member, or null when it is missing or not a string. */
    static String string(JsonObject json, String name) {
        JsonElement value = json == null ? null : json.get(name);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : null;
    }

    /** Sends one request; ends the program when no answer comes back. */
    static HttpResponse<String> send(String what, HttpRequest request) throws InterruptedException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException timedOut) {
            fail(what + " failed: no answer from " + request.uri() + " within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException error) {
            fail(what + " failed: " + request.uri() + ": " + error);
        }
        throw new AssertionError("unreachable");
    }

    /** One line: the status, then the OAuth error (RFC 6749 §5.2, RFC 6750 §3) when there is one. */
    static String describeFailure(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 300 && status < 400) {
            return "HTTP " + status + ", a redirect to " + response.headers().firstValue("location").orElse("an unnamed place")
                    + "; token requests do not follow redirects (check the URL)";
        }
        JsonObject body = jsonObject(response.body());
        String error = string(body, "error");
        if (error != null) {
            String description = string(body, "error_description");
            return "HTTP " + status + " " + error + ": " + (description == null ? "" : description);
        }
        String text = response.body().replaceAll("\\s+", " ").trim();
        return "HTTP " + status + ", not an OAuth error answer: " + (text.length() > 200 ? text.substring(0, 200) : text);
    }

    static String requestAccessToken(String tokenUrl) throws InterruptedException {
        // client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then Basic.
        String credentials = formEncode(env("CLIENT_ID", null)) + ":" + formEncode(env("CLIENT_SECRET", null));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(TIMEOUT)
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + formEncode("{{READ_SCOPE}}")))
                .build();
        HttpResponse<String> response = send("Token request", request);
        // Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
        if (response.statusCode() != 200) fail("Token request failed: " + describeFailure(response));
        String accessToken = string(jsonObject(response.body()), "access_token");
        if (accessToken == null) fail("Token request failed: HTTP 200 without an access_token");
        // A job that keeps the token would also read expires_in here, 300 s when it is missing (RFC
        // 6749 §5.1); see the token clients on the Expiration and refresh page.
        return accessToken;
    }

    public static void main(String[] args) throws InterruptedException {
        String tokenUrl = env("TOKEN_URL", sandboxDefault("/oauth/token"));
        String apiBaseUrl = env("API_BASE_URL", sandboxDefault("/api/v1"));
        String accessToken = requestAccessToken(tokenUrl);

        // RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBaseUrl + "/reports"))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + accessToken)
                .header("Accept", "application/json")
                .build();
        HttpResponse<String> response = send("API call", request);
        if (response.statusCode() / 100 != 2) {
            // RFC 6750 §3: the reason is in the WWW-Authenticate header too; log it, it holds no secret.
            fail("API call failed: GET /api/v1/reports: " + describeFailure(response)
                    + response.headers().firstValue("www-authenticate").map(value -> " (WWW-Authenticate: " + value + ")").orElse(""));
        }
        System.out.println("GET /api/v1/reports: HTTP " + response.statusCode());
        System.out.println(response.body());
    }
}
