// Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints
// what came back. Run: dotnet run RequestToken.cs (.NET 10 SDK or later; no packages).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var tokenUrl = $"{Env("SANDBOX_URL")}/oauth/token";

// client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, join them with
// ":", then base64 the result into an HTTP Basic header.
var credentials = $"{WebUtility.UrlEncode(Env("CLIENT_ID"))}:{WebUtility.UrlEncode(Env("CLIENT_SECRET"))}";

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
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

using var response = await http.SendAsync(request);
using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
var body = document.RootElement;

if (!response.IsSuccessStatusCode)
{
    // RFC 6749 §5.2: an error answer names the problem in "error".
    Console.Error.WriteLine($"Token request failed: HTTP {(int)response.StatusCode} {Field(body, "error")}: {Field(body, "error_description")}");
    return 1;
}

Console.WriteLine($"token_type: {Field(body, "token_type")}");
Console.WriteLine($"expires_in: {Field(body, "expires_in")}");
Console.WriteLine($"scope: {Field(body, "scope")}");
// The token is a credential: print its length, never the token itself.
Console.WriteLine($"access_token: {Field(body, "access_token")?.Length} characters, not printed");
return 0;

static string Env(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"Set {name} in the environment.");

static string? Field(JsonElement json, string name) =>
    json.TryGetProperty(name, out var value) ? value.ToString() : null;
