// A token client for the client credentials grant. It keeps the token, renews it before it
// expires, lets concurrent callers share one renewal, retries an API call once on 401, and
// backs off on 429 and 5xx. Run: dotnet run TokenClient.cs (.NET 10 SDK or later; no packages).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var client = new TokenClient(Env("CLIENT_ID"), Env("CLIENT_SECRET"), Env("SANDBOX_URL"));

// Three calls at once share one token request.
var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetAsync("/reports")));
for (var i = 0; i < responses.Length; i++)
{
    Console.WriteLine($"call {i + 1}: GET /api/v1/reports: HTTP {(int)responses[i].StatusCode}");
}
Console.WriteLine($"token requests: {client.TokenRequests}");
return responses.All(response => response.IsSuccessStatusCode) ? 0 : 1;

static string Env(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"Set {name} in the environment.");

sealed class TokenClient
{
    /// <summary>Renew this long before the token expires; short-lived tokens renew at half their life.</summary>
    static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(60);

    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    readonly SemaphoreSlim renewal = new(1, 1);
    readonly string basic;
    readonly string tokenUrl;
    readonly string apiBaseUrl;
    string? token;
    long renewAtMs;
    int tokenRequests;

    public TokenClient(string clientId, string clientSecret, string sandboxUrl)
    {
        // client_secret_basic (RFC 6749 §2.3.1): form-encode each part, then base64.
        var credentials = $"{WebUtility.UrlEncode(clientId)}:{WebUtility.UrlEncode(clientSecret)}";
        basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
        tokenUrl = $"{sandboxUrl}/oauth/token";
        apiBaseUrl = $"{sandboxUrl}/api/v1";
    }

    /// <summary>How many times this client asked for a token.</summary>
    public int TokenRequests => Volatile.Read(ref tokenRequests);

    /// <summary>
    /// A token that is valid now: the kept one, or a new one. One renewal for everyone: the first
    /// caller renews while the others wait on the semaphore, then find the new token.
    /// </summary>
    public async Task<string> AccessTokenAsync()
    {
        await renewal.WaitAsync();
        try
        {
            // Environment.TickCount64 is monotonic: a change of the wall clock cannot expire a token.
            if (token is not null && Environment.TickCount64 < renewAtMs) return token;
            Interlocked.Increment(ref tokenRequests);
            // expires_in counts from when the server answered; timing from the request errs on the safe side.
            var sentAtMs = Environment.TickCount64;
            using var response = await WithBackoffAsync(() =>
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
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var body = document.RootElement;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Token request failed: HTTP {(int)response.StatusCode} {body.GetProperty("error")}");
            }
            var lifetime = TimeSpan.FromSeconds(body.GetProperty("expires_in").GetInt32());
            var margin = lifetime / 2 < SafetyMargin ? lifetime / 2 : SafetyMargin;
            token = body.GetProperty("access_token").GetString()!;
            renewAtMs = sentAtMs + (long)(lifetime - margin).TotalMilliseconds;
            return token;
        }
        finally
        {
            renewal.Release();
        }
    }

    /// <summary>Calls the API. On 401 the token was refused (revoked, expired early): renew once and retry.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await AccessTokenAsync();
            var response = await WithBackoffAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"{apiBaseUrl}{path}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            });
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt == 2) return response;
            response.Dispose();
            await ForgetAsync(current);
        }
    }

    /// <summary>Forgets a refused token, unless another caller has already replaced it.</summary>
    async Task ForgetAsync(string refused)
    {
        await renewal.WaitAsync();
        try
        {
            if (token == refused) token = null;
        }
        finally
        {
            renewal.Release();
        }
    }

    /// <summary>Sends a request again on 429 or 5xx: after Retry-After when the server gives one, else 1, 2, 4 s.</summary>
    async Task<HttpResponseMessage> WithBackoffAsync(Func<HttpRequestMessage> newRequest)
    {
        const int maxAttempts = 4;
        for (var attempt = 1; ; attempt++)
        {
            // A request message is sent once; each attempt builds a new one.
            using var request = newRequest();
            var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            if ((status != 429 && status < 500) || attempt == maxAttempts) return response;
            var delay = TimeSpan.FromSeconds(1 << (attempt - 1));
            if (response.Headers.RetryAfter?.Delta is { } retryAfter && retryAfter > TimeSpan.Zero)
            {
                delay = retryAfter < TimeSpan.FromSeconds(60) ? retryAfter : TimeSpan.FromSeconds(60);
            }
            response.Dispose();
            await Task.Delay(delay);
        }
    }
}
