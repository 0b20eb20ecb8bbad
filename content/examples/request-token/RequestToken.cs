// Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints what
// came back. Run: dotnet run RequestToken.cs (.NET 10 SDK or later; no packages).
// Reads CLIENT_ID, CLIENT_SECRET and TOKEN_URL from the environment; in the sandbox, TOKEN_URL
// defaults to $SANDBOX_URL/oauth/token.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

// RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes.
const int DefaultExpiresIn = 300;
var timeout = TimeSpan.FromSeconds(10);

var sandboxUrl = Environment.GetEnvironmentVariable("SANDBOX_URL");
var tokenUrl = Env("TOKEN_URL", string.IsNullOrEmpty(sandboxUrl) ? null : $"{sandboxUrl}/oauth/token");

// client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, join them with
// ":", then base64 the result. AuthenticationHeaderValue alone does not form-encode.
var credentials = $"{WebUtility.UrlEncode(Env("CLIENT_ID"))}:{WebUtility.UrlEncode(Env("CLIENT_SECRET"))}";

// AllowAutoRedirect = false: a redirected token request would carry the secret elsewhere.
using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = timeout };
using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
{
    Content = new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["scope"] = "{{READ_SCOPE}}",
    }),
};
request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

HttpResponseMessage response;
string text;
try
{
    response = await http.SendAsync(request);
    text = await response.Content.ReadAsStringAsync();
}
catch (TaskCanceledException)
{
    return Fail($"Token request failed: no answer from {tokenUrl} within {timeout.TotalSeconds} s");
}
catch (HttpRequestException error)
{
    return Fail($"Token request failed: {tokenUrl}: {error.Message}");
}

// Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
var status = (int)response.StatusCode;
var body = JsonObject(text);
if (status is >= 300 and < 400)
    return Fail($"Token request failed: HTTP {status}, a redirect to {response.Headers.Location}; token requests do not follow redirects (check TOKEN_URL)");
if (status != 200)
{
    // RFC 6749 §5.2: an OAuth error answer is JSON with "error" and maybe "error_description".
    if (Text(body, "error") is { } error)
        return Fail($"Token request failed: HTTP {status} {error}: {Text(body, "error_description")}");
    return Fail($"Token request failed: HTTP {status}, not an OAuth error answer: {OneLine(text)}");
}
if (Text(body, "access_token") is not { } accessToken)
    return Fail($"Token request failed: HTTP 200 without an access_token: {OneLine(text)}");

var expiresIn = body is { } json && json.TryGetProperty("expires_in", out var seconds) && seconds.ValueKind == JsonValueKind.Number
    ? seconds.ToString()
    : $"not sent; assuming {DefaultExpiresIn}";
Console.WriteLine($"token_type: {Text(body, "token_type")}");
Console.WriteLine($"expires_in: {expiresIn}");
Console.WriteLine($"scope: {Text(body, "scope") ?? "not sent"}");
// The token is a credential: print its length, never the token itself.
Console.WriteLine($"access_token: {accessToken.Length} characters, not printed");
return 0;

static string Env(string name, string? fallback = null) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value
    : fallback ?? Exit($"Set {name} in the environment.");

static string Exit(string message)
{
    Console.Error.WriteLine(message);
    Environment.Exit(1);
    return "";
}

// Ends the program with one line on stderr and exit code 1: no stack trace.
static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 1;
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

static string OneLine(string text)
{
    var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    return line.Length > 200 ? line[..200] : line;
}
