// A token client for the client credentials grant. It keeps the token, renews it before it
// expires, lets concurrent callers share one renewal, retries an API call once on 401
// invalid_token, and backs off on 429, 5xx and network failures (after an API 429, every caller
// waits out its Retry-After). Java 17 or later, and Gson
// (com.google.code.gson:gson, or Debian's libgoogle-gson-java) for JSON.
// Run: java -cp gson.jar TokenClient.java
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

public class TokenClient {
    /** Renew this long before the token expires; short-lived tokens renew at half their life. */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(60);
    /** RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes. */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(300);
    /** Each attempt's timeout. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The back-off schedule of the guide: 4 attempts, steps of 0.5, 1, 2 s with equal jitter. */
    static final int MAX_ATTEMPTS = 4;
    static final long BASE_DELAY_MILLIS = 500;
    /** A Retry-After longer than this ends the attempts at once. */
    static final long MAX_RETRY_AFTER_SECONDS = 30;
    /** All attempts of one request together end after this long. */
    static final Duration DEADLINE = Duration.ofSeconds(25);

    /** A failure the program reports in one line. */
    static class RequestFailed extends Exception {
        RequestFailed(String message) {
            super(message, null, false, false);
        }
    }

    // Redirect.NEVER: a redirected token request would carry the secret elsewhere.
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String basic;
    private final String tokenUrl;
    private final String apiBaseUrl;
    private String token;
    private long renewAtNanos;
    /** How many times this client asked for a token. */
    private int tokenRequests;
    /** The last renewal's failure, shared with the callers that waited for it. */
    private RequestFailed lastFailure;
    private long lastFailureAt;
    /** A 429 from the API limits the client, not one call (RFC 6585 §4): no API call before this (System.nanoTime). */
    private final AtomicLong apiNotBefore = new AtomicLong(System.nanoTime());

    TokenClient(String clientId, String clientSecret, String tokenUrl, String apiBaseUrl) {
        // client_secret_basic (RFC 6749 §2.3.1): form-encode each part, then base64.
        String credentials = formEncode(clientId) + ":" + formEncode(clientSecret);
        this.basic = Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        this.tokenUrl = tokenUrl;
        this.apiBaseUrl = apiBaseUrl;
    }

    /**
     * A token that is valid now: the kept one, or a new one. The lock gives one renewal for
     * everyone: the first caller renews while the others wait, then find the new token, or the
     * failure of that same renewal.
     */
    String accessToken() throws RequestFailed, InterruptedException {
        long askedAt = System.nanoTime();
        synchronized (this) {
            // System.nanoTime() is monotonic: a change of the wall clock cannot expire a token.
            if (token != null && System.nanoTime() - renewAtNanos < 0) return token;
            if (lastFailure != null && lastFailureAt - askedAt > 0) throw lastFailure;
            try {
                return renew();
            } catch (RequestFailed failure) {
                lastFailure = failure;
                lastFailureAt = System.nanoTime();
                throw failure;
            }
        }
    }

    private String renew() throws RequestFailed, InterruptedException {
        tokenRequests++;
        // expires_in counts from when the server answered; timing from the request errs on the safe side.
        long sentAt = System.nanoTime();
        HttpResponse<String> response = withBackoff("Token request", false, HttpRequest.newBuilder(URI.create(tokenUrl))
                .timeout(TIMEOUT)
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + formEncode("{{READ_SCOPE}}")))
                .build());
        // Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
        if (response.statusCode() != 200) throw new RequestFailed("Token request failed: " + describeFailure(response));
        JsonObject body = jsonObject(response.body());
        String accessToken = string(body, "access_token");
        if (accessToken == null) throw new RequestFailed("Token request failed: HTTP 200 without an access_token");
        JsonElement expiresIn = body.get("expires_in");
        Duration lifetime = expiresIn != null && expiresIn.isJsonPrimitive() && expiresIn.getAsJsonPrimitive().isNumber()
                ? Duration.ofSeconds(expiresIn.getAsLong())
                : DEFAULT_LIFETIME;
        Duration margin = lifetime.dividedBy(2).compareTo(SAFETY_MARGIN) < 0 ? lifetime.dividedBy(2) : SAFETY_MARGIN;
        token = accessToken;
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

    /**
     * GETs an API path (idempotent, so it may be retried). On 401 invalid_token the token was
     * refused (revoked, expired early): renew once and retry, never more.
     */
    HttpResponse<String> get(String path) throws RequestFailed, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            String current = accessToken();
            HttpResponse<String> response = withBackoff("API call", true, HttpRequest.newBuilder(URI.create(apiBaseUrl + path))
                    .timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + current)
                    .header("Accept", "application/json")
                    .GET()
                    .build());
            boolean invalidToken = response.statusCode() == 401
                    && response.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\"");
            if (!invalidToken || attempt == 2) return response;
            forget(current);
        }
    }

    /**
     * Sends a request, and again on 429, 5xx or no answer: 4 attempts at most, waiting between
     * half and all of 0.5, 1, then 2 s, or Retry-After plus up to half a step (RFC 9110 §10.2.3).
     * For an API call, a 429's Retry-After holds every caller back, not only this one.
     */
    HttpResponse<String> withBackoff(String what, boolean apiCall, HttpRequest request) throws RequestFailed, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (int attempt = 1; ; attempt++) {
            if (apiCall) {
                long wait = apiNotBefore.get() - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String failure;
            long retryAfterMillis = -1;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status != 429 && status < 500) return response;
                failure = what + " failed: " + describeFailure(response);
                String retryAfter = response.headers().firstValue("Retry-After").orElse("");
                if (retryAfter.matches("\\d+")) retryAfterMillis = Long.parseLong(retryAfter) * 1000;
                if (apiCall && status == 429 && retryAfterMillis >= 0) {
                    long until = System.nanoTime() + retryAfterMillis * 1_000_000;
                    apiNotBefore.accumulateAndGet(until, (current, next) -> next - current > 0 ? next : current);
                }
            } catch (HttpTimeoutException timedOut) {
                failure = what + " failed: no answer from " + request.uri() + " within " + TIMEOUT.toSeconds() + " s";
            } catch (IOException error) {
                failure = what + " failed: " + request.uri() + ": " + error;
            }
            if (attempt == MAX_ATTEMPTS || retryAfterMillis > MAX_RETRY_AFTER_SECONDS * 1000) throw new RequestFailed(failure);
            long step = BASE_DELAY_MILLIS << (attempt - 1);
            long jitter = ThreadLocalRandom.current().nextLong(step / 2 + 1);
            long delay = retryAfterMillis >= 0 ? retryAfterMillis + jitter : step / 2 + jitter;
            // Another attempt that cannot finish before the deadline is not made.
            if (System.nanoTime() + (delay + TIMEOUT.toMillis()) * 1_000_000 - deadline > 0) throw new RequestFailed(failure);
            Thread.sleep(delay);
        }
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

    static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        if (value != null && !value.isEmpty()) return value;
        if (fallback == null) exit("Set " + name + " in the environment.");
        return fallback;
    }

    static String sandboxDefault(String path) {
        String sandbox = System.getenv("SANDBOX_URL");
        return sandbox == null || sandbox.isEmpty() ? null : sandbox + path;
    }

    /** Ends the program with one line on stderr and exit code 1: no stack trace. */
    static void exit(String message) {
        System.err.println(message);
        System.exit(1);
    }

    public static void main(String[] args) throws InterruptedException {
        TokenClient client = new TokenClient(env("CLIENT_ID", null), env("CLIENT_SECRET", null),
                env("TOKEN_URL", sandboxDefault("/oauth/token")), env("API_BASE_URL", sandboxDefault("/api/v1")));

        // Three calls at once share one token request.
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) calls.add(pool.submit(() -> client.get("/reports")));
            boolean failed = false;
            for (int i = 0; i < calls.size(); i++) {
                HttpResponse<String> response;
                try {
                    response = calls.get(i).get();
                } catch (ExecutionException error) {
                    // The three calls fail alike: report the first, once.
                    exit(error.getCause() instanceof RequestFailed ? error.getCause().getMessage() : "API call failed: " + error.getCause());
                    return;
                }
                System.out.println("call " + (i + 1) + ": GET /api/v1/reports: HTTP " + response.statusCode());
                failed |= response.statusCode() != 200;
            }
            System.out.println("token requests: " + client.tokenRequests());
            if (failed) System.exit(1);
        } finally {
            // The pool's threads would keep the program alive: end them on every path.
            pool.shutdownNow();
        }
    }
}
