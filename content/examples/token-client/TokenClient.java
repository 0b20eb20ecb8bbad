// A token client for the client credentials grant. It keeps the token, renews it before it
// expires, lets concurrent callers share one renewal, retries an API call once on 401, and
// backs off on 429 and 5xx. Run: java TokenClient.java (Java 17 or later; no dependencies).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class TokenClient {
    /** Renew this long before the token expires; short-lived tokens renew at half their life. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String basic;
    private final String tokenUrl;
    private final String apiBaseUrl;
    private String token;
    private long renewAtNanos;
    /** How many times this client asked for a token. */
    private int tokenRequests;

    TokenClient(String clientId, String clientSecret, String sandboxUrl) {
        // client_secret_basic (RFC 6749 §2.3.1): form-encode each part, then base64.
        String credentials = formEncode(clientId) + ":" + formEncode(clientSecret);
        this.basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        this.tokenUrl = sandboxUrl + "/oauth/token";
        this.apiBaseUrl = sandboxUrl + "/api/v1";
    }

    /**
     * A token that is valid now: the kept one, or a new one. synchronized gives one renewal for
     * everyone: the first caller renews while the others wait, then find the new token.
     */
    synchronized String accessToken() throws Exception {
        // System.nanoTime() is monotonic: a change of the wall clock cannot expire a token.
        if (token != null && System.nanoTime() - renewAtNanos < 0) return token;
        tokenRequests++;
        // expires_in counts from when the server answered; timing from the request errs on the safe side.
        long sentAt = System.nanoTime();
        HttpResponse<String> response = withBackoff(HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + formEncode("{{READ_SCOPE}}")))
                .build());
        String body = response.body();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Token request failed: HTTP " + response.statusCode() + " " + jsonField(body, "error"));
        }
        Duration lifetime = Duration.ofSeconds(Long.parseLong(jsonField(body, "expires_in")));
        Duration margin = lifetime.dividedBy(2).compareTo(SAFETY_MARGIN) < 0 ? lifetime.dividedBy(2) : SAFETY_MARGIN;
        token = jsonField(body, "access_token");
        renewAtNanos = sentAt + lifetime.minus(margin).toNanos();
        return token;
    }

    /** Forgets a refused token, unless another caller has already replaced it. */
    synchronized void forget(String refused) {
        if (refused.equals(token)) token = null;
    }

    synchronized int tokenRequests() {
        return tokenRequests;
    }

    /** Calls the API. On 401 the token was refused (revoked, expired early): renew once and retry. */
    HttpResponse<String> get(String path) throws Exception {
        for (int attempt = 1; ; attempt++) {
            String current = accessToken();
            HttpResponse<String> response = withBackoff(HttpRequest.newBuilder(URI.create(apiBaseUrl + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + current)
                    .header("Accept", "application/json")
                    .GET()
                    .build());
            if (response.statusCode() != 401 || attempt == 2) return response;
            forget(current);
        }
    }

    /** Sends a request again on 429 or 5xx: after Retry-After when the server gives one, else 1, 2, 4 s. */
    HttpResponse<String> withBackoff(HttpRequest request) throws Exception {
        final int maxAttempts = 4;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if ((status != 429 && status < 500) || attempt == maxAttempts) return response;
            long delaySeconds = 1L << (attempt - 1);
            String retryAfter = response.headers().firstValue("Retry-After").orElse("");
            if (retryAfter.matches("\\d+") && Long.parseLong(retryAfter) > 0) delaySeconds = Math.min(Long.parseLong(retryAfter), 60);
            Thread.sleep(delaySeconds * 1000);
        }
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

    static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) throw new IllegalStateException("Set " + name + " in the environment.");
        return value;
    }

    public static void main(String[] args) throws Exception {
        TokenClient client = new TokenClient(env("CLIENT_ID"), env("CLIENT_SECRET"), env("SANDBOX_URL"));

        // Three calls at once share one token request.
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Callable<HttpResponse<String>> call = () -> client.get("/reports");
            calls.add(pool.submit(call));
        }
        boolean failed = false;
        for (int i = 0; i < calls.size(); i++) {
            int status = calls.get(i).get().statusCode();
            System.out.println("call " + (i + 1) + ": GET /api/v1/reports: HTTP " + status);
            failed |= status != 200;
        }
        pool.shutdown();
        System.out.println("token requests: " + client.tokenRequests());
        if (failed) System.exit(1);
    }
}
