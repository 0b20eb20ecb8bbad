// Gets an access token, then calls the API with it.
// Run: dotnet run CallApi.cs (.NET 10 SDK or later; no packages).
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Diagnostics;
using System.Text.Json;

var timeout = TimeSpan.FromSeconds(10);
var sandboxUrl = Environment.GetEnvironmentVariable("SANDBOX_URL");
var tokenUrl = Env("TOKEN_URL", string.IsNullOrEmpty(sandboxUrl) ? null : $"{sandboxUrl}/oauth/token");
var apiBaseUrl = Env("API_BASE_URL", string.IsNullOrEmpty(sandboxUrl) ? null : $"{sandboxUrl}/api/v1");

// AllowAutoRedirect = false: a redirected token request would carry the secret elsewhere.
using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = timeout };

// client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then Basic.
// AuthenticationHeaderValue alone does not form-encode.
var credentials = $"{WebUtility.UrlEncode(Env("CLIENT_ID"))}:{WebUtility.UrlEncode(Env("CLIENT_SECRET"))}";
using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
{
    Content = new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["scope"] = "{{READ_SCOPE}}",
    }),
};
tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
tokenRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

var (tokenResponse, tokenText) = await Send("Token request", tokenRequest);
// Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
if ((int)tokenResponse.StatusCode != 200)
    return Fail($"Token request failed: {DescribeFailure(tokenResponse, tokenText)}");
if (Text(JsonObject(tokenText), "access_token") is not { } accessToken)
    return Fail("Token request failed: HTTP 200 without an access_token");
// A job that keeps the token would also read expires_in here, 300 s when it is missing (RFC
// 6749 §5.1); see the token clients on the Expiration and refresh page.

// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
using var apiRequest = new HttpRequestMessage(HttpMethod.Get, $"{apiBaseUrl}/reports");
apiRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
apiRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
var (response, text) = await Send("API call", apiRequest);
if (!response.IsSuccessStatusCode)
{
    // RFC 6750 §3: the reason is in the WWW-Authenticate header too; log it, it holds no secret.
    return Fail($"API call failed: GET /api/v1/reports: {DescribeFailure(response, text)} (WWW-Authenticate: {response.Headers.WwwAuthenticate})");
}
Console.WriteLine($"GET /api/v1/reports: HTTP {(int)response.StatusCode}");
Console.WriteLine(text);
return 0;

// Sends one request and reads its answer; ends the program when none comes back.
async Task<(HttpResponseMessage, string)> Send(string what, HttpRequestMessage request)
{
    try
    {
        var answer = await http.SendAsync(request);
        return (answer, await answer.Content.ReadAsStringAsync());
    }
    catch (TaskCanceledException)
    {
        Environment.Exit(Fail($"{what} failed: no answer from {request.RequestUri} within {timeout.TotalSeconds} s"));
    }
    catch (HttpRequestException error)
    {
        Environment.Exit(Fail($"{what} failed: {request.RequestUri}: {error.Message}"));
    }
    throw new UnreachableException();
}

static string Env(string name, string? fallback = null) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value
    : fallback ?? Exit($"Set {name} in the environment.");

static string Exit(string message)
{
    Console.Error.WriteLine(message);
    Environment.Exit(1);
    return "";
}

// Writes one line on stderr; the exit code of a failure is 1. No stack trace.
static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
}

// One line: the status, then the OAuth error (RFC 6749 §5.2, RFC 6750 §3) when there is one.
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

// The body as a JSON object, or null when it is not one (an HTML error page, say).
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

// A string member, or null when it is missing or not a string.
static string? Text(JsonElement? json, string name) =>
    json is { } element && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
