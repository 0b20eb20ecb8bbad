// A token client for the client credentials grant. It keeps the token, renews it before it
// expires, lets concurrent callers share one renewal, retries an API call once on 401
// invalid_token, and backs off on 429, 5xx and network failures.
// Run: dotnet run TokenClient.cs (.NET 10 SDK or later; no packages).
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var sandboxUrl = Environment.GetEnvironmentVariable("SANDBOX_URL");
var client = new TokenClient(
    Env("CLIENT_ID"),
    Env("CLIENT_SECRET"),
    Env("TOKEN_URL", string.IsNullOrEmpty(sandboxUrl) ? null : $"{sandboxUrl}/oauth/token"),
    Env("API_BASE_URL", string.IsNullOrEmpty(sandboxUrl) ? null : $"{sandboxUrl}/api/v1"));

// Three calls at once share one token request.
HttpResponseMessage[] responses;
try
{
    responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetAsync("/reports")));
}
catch (RequestFailedException failure)
{
    // The three calls fail alike: report the first, once. No stack trace.
    Console.Error.WriteLine(failure.Message);
    return 1;
}
for (var i = 0; i < responses.Length; i++)
{
    Console.WriteLine($"call {i + 1}: GET /api/v1/reports: HTTP {(int)responses[i].StatusCode}");
}
Console.WriteLine($"token requests: {client.TokenRequests}");
return responses.All(response => response.IsSuccessStatusCode) ? 0 : 1;

static string Env(string name, string? fallback = null)
{
    if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) return value;
    if (fallback is not null) return fallback;
    Console.Error.WriteLine($"Set {name} in the environment.");
    Environment.Exit(1);
    return "";
}

/// <summary>A failure the program reports in one line.</summary>
sealed class RequestFailedException(string message) : Exception(message);

sealed class TokenClient
{
    /// <summary>Renew this long before the token expires; short-lived tokens renew at half their life.</summary>
    static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(60);
    /// <summary>RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes.</summary>
    static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(300);
    /// <summary>Each attempt's timeout.</summary>
    static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    /// <summary>The back-off schedule of the guide: 4 attempts, steps of 0.5, 1, 2 s with equal jitter.</summary>
    const int MaxAttempts = 4;
    static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(500);
    /// <summary>A Retry-After longer than this ends the attempts at once.</summary>
    static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);
    /// <summary>All attempts of one request together end after this long.</summary>
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(25);

    // AllowAutoRedirect = false: a redirected token request would carry the secret elsewhere.
    readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = AttemptTimeout };
    readonly SemaphoreSlim renewal = new(1, 1);
    readonly string basic;
    readonly string tokenUrl;
    readonly string apiBaseUrl;
    string? token;
    long renewAtTicks;
    // The last renewal's failure, shared with the callers that waited for it.
    RequestFailedException? lastFailure;
    long lastFailureAtTicks;
    int tokenRequests;

    public TokenClient(string clientId, string clientSecret, string tokenUrl, string apiBaseUrl)
    {
        // client_secret_basic (RFC 6749 §2.3.1): form-encode each part, then base64.
        var credentials = $"{WebUtility.UrlEncode(clientId)}:{WebUtility.UrlEncode(clientSecret)}";
        basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
        this.tokenUrl = tokenUrl;
        this.apiBaseUrl = apiBaseUrl;
    }

    /// <summary>How many times this client asked for a token.</summary>
    public int TokenRequests => Volatile.Read(ref tokenRequests);

    /// <summary>
    /// A token that is valid now: the kept one, or a new one. One renewal for everyone: the first
    /// caller renews while the others wait on the semaphore, then find the new token, or the
    /// failure of that same renewal.
    /// </summary>
    public async Task<string> AccessTokenAsync()
    {
        // Stopwatch is monotonic: a change of the wall clock cannot expire a token.
        var askedAt = Stopwatch.GetTimestamp();
        await renewal.WaitAsync();
        try
        {
            if (token is not null && Stopwatch.GetTimestamp() < renewAtTicks) return token;
            if (lastFailure is not null && lastFailureAtTicks > askedAt) throw lastFailure;
            try
            {
                return await RenewAsync();
            }
            catch (RequestFailedException failure)
            {
                lastFailure = failure;
                lastFailureAtTicks = Stopwatch.GetTimestamp();
                throw;
            }
        }
        finally
        {
            renewal.Release();
        }
    }

    async Task<string> RenewAsync()
    {
        Interlocked.Increment(ref tokenRequests);
        // expires_in counts from when the server answered; timing from the request errs on the safe side.
        var sentAt = Stopwatch.GetTimestamp();
        var (response, text) = await WithBackoffAsync("Token request", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["scope"] = "{{READ_SCOPE}}",
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            return request;
        });
        // Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
        if ((int)response.StatusCode != 200)
            throw new RequestFailedException($"Token request failed: {DescribeFailure(response, text)}");
        var body = JsonObject(text);
        if (Text(body, "access_token") is not { } accessToken)
            throw new RequestFailedException("Token request failed: HTTP 200 without an access_token");
        var lifetime = body is { } json && json.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt64(out var value)
            ? TimeSpan.FromSeconds(value)
            : DefaultLifetime;
        var margin = lifetime / 2 < SafetyMargin ? lifetime / 2 : SafetyMargin;
        token = accessToken;
        renewAtTicks = sentAt + (long)((lifetime - margin).TotalSeconds * Stopwatch.Frequency);
        return token;
    }

    /// <summary>
    /// GETs an API path (idempotent, so it may be retried). On 401 invalid_token the token was
    /// refused (revoked, expired early): renew once and retry, never more.
    /// </summary>
    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await AccessTokenAsync();
            var (response, _) = await WithBackoffAsync("API call", () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"{apiBaseUrl}{path}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            });
            var invalidToken = response.StatusCode == HttpStatusCode.Unauthorized
                && response.Headers.WwwAuthenticate.ToString().Contains("error=\"invalid_token\"");
            if (!invalidToken || attempt == 2) return response;
            Forget(current);
        }
    }

    /// <summary>Forgets a refused token, unless another caller has already replaced it.</summary>
    void Forget(string refused) => Interlocked.CompareExchange(ref token, null, refused);

    /// <summary>
    /// Sends a request, and again on 429, 5xx or no answer: 4 attempts at most, waiting between
    /// half and all of 0.5, 1, then 2 s, or Retry-After plus up to half a step (RFC 9110 §10.2.3).
    /// </summary>
    async Task<(HttpResponseMessage, string)> WithBackoffAsync(string what, Func<HttpRequestMessage> newRequest)
    {
        var giveUpAt = Stopwatch.GetTimestamp() + (long)(Deadline.TotalSeconds * Stopwatch.Frequency);
        for (var attempt = 1; ; attempt++)
        {
            using var request = newRequest();
            string problem;
            TimeSpan? retryAfter = null;
            try
            {
                var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (status != 429 && status < 500) return (response, text);
                problem = $"{what} failed: {DescribeFailure(response, text)}";
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            catch (TaskCanceledException)
            {
                problem = $"{what} failed: no answer from {request.RequestUri} within {AttemptTimeout.TotalSeconds} s";
            }
            catch (HttpRequestException error)
            {
                problem = $"{what} failed: {request.RequestUri}: {error.Message}";
            }
            if (attempt == MaxAttempts || retryAfter > MaxRetryAfter) throw new RequestFailedException(problem);
            var step = BaseDelay * Math.Pow(2, attempt - 1);
            var jitter = step / 2 * Random.Shared.NextDouble();
            var delay = retryAfter is { } wait ? wait + jitter : step / 2 + jitter;
            // Another attempt that cannot finish before the deadline is not made.
            if (Stopwatch.GetTimestamp() + (long)((delay + AttemptTimeout).TotalSeconds * Stopwatch.Frequency) > giveUpAt)
                throw new RequestFailedException(problem);
            await Task.Delay(delay);
        }
    }

    /// <summary>One line: the status, then the OAuth error (RFC 6749 §5.2, RFC 6750 §3) when there is one.</summary>
    static string DescribeFailure(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
            return $"HTTP {status}, a redirect to {response.Headers.Location}; token requests do not follow redirects (check the URL)";
        var body = JsonObject(text);
        if (Text(body, "error") is { } error)
            return $"HTTP {status} {error}: {Text(body, "error_description")}";
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return $"HTTP {status}, not an OAuth error answer: {(line.Length > 200 ? line[..200] : line)}";
    }

    /// <summary>The body as a JSON object, or null when it is not one (an HTML error page, say).</summary>
    static JsonElement? JsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string member, or null when it is missing or not a string.</summary>
    static string? Text(JsonElement? json, string name) =>
        json is { } element && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
