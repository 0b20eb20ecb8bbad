// Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints what
// came back. Java 17 or later, and Gson (com.google.code.gson:gson, or Debian's
// libgoogle-gson-java) for JSON. Run: java -cp gson.jar RequestToken.java
// Reads CLIENT_ID, CLIENT_SECRET and TOKEN_URL from the environment; in the sandbox, TOKEN_URL
// defaults to $SANDBOX_URL/oauth/token.
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

public class RequestToken {
    /** RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes. */
    static final long DEFAULT_EXPIRES_IN = 300;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

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

    static String oneLine(String body) {
        String text = body.replaceAll("\\s+", " ").trim();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    public static void main(String[] args) throws InterruptedException {
        String tokenUrl = env("TOKEN_URL", sandboxDefault("/oauth/token"));

        // client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, join them
        // with ":", then base64 the result into an HTTP Basic header.
        String credentials = formEncode(env("CLIENT_ID", null)) + ":" + formEncode(env("CLIENT_SECRET", null));
        String basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));

        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(TIMEOUT)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + formEncode("{{READ_SCOPE}}")))
                .build();
        // Redirect.NEVER: a redirected token request would carry the secret elsewhere.
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> response = null;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException timedOut) {
            fail("Token request failed: no answer from " + tokenUrl + " within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException error) {
            fail("Token request failed: " + tokenUrl + ": " + error);
        }

        // Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
        int status = response.statusCode();
        JsonObject body = jsonObject(response.body());
        if (status >= 300 && status < 400) {
            fail("Token request failed: HTTP " + status + ", a redirect to " + response.headers().firstValue("location").orElse("an unnamed place")
                    + "; token requests do not follow redirects (check TOKEN_URL)");
        }
        if (status != 200) {
            // RFC 6749 §5.2: an OAuth error answer is JSON with "error" and maybe "error_description".
            String error = string(body, "error");
            if (error != null) {
                String description = string(body, "error_description");
                fail("Token request failed: HTTP " + status + " " + error + ": " + (description == null ? "" : description));
            }
            fail("Token request failed: HTTP " + status + ", not an OAuth error answer: " + oneLine(response.body()));
        }
        String accessToken = string(body, "access_token");
        if (accessToken == null) fail("Token request failed: HTTP 200 without an access_token: " + oneLine(response.body()));

        JsonElement expiresIn = body.get("expires_in");
        String scope = string(body, "scope");
        System.out.println("token_type: " + string(body, "token_type"));
        System.out.println("expires_in: " + (expiresIn != null && expiresIn.isJsonPrimitive() ? expiresIn.getAsString() : "not sent; assuming " + DEFAULT_EXPIRES_IN));
        System.out.println("scope: " + (scope == null ? "not sent" : scope));
        // The token is a credential: print its length, never the token itself.
        System.out.println("access_token: " + accessToken.length() + " characters, not printed");
    }
}
