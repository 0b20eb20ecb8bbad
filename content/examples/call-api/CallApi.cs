// Gets an access token, then calls the API with it.
// Run: dotnet run CallApi.cs (.NET 10 SDK or later; no packages).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var tokenUrl = $"{Env("SANDBOX_URL")}/oauth/token";
var apiBaseUrl = $"{Env("SANDBOX_URL")}/api/v1";

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

var accessToken = await RequestAccessTokenAsync(http, tokenUrl);

// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
using var request = new HttpRequestMessage(HttpMethod.Get, $"{apiBaseUrl}/reports");
request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
using var response = await http.SendAsync(request);

Console.WriteLine($"GET /api/v1/reports: HTTP {(int)response.StatusCode}");
if (!response.IsSuccessStatusCode)
{
    // RFC 6750 §3: the reason is in the WWW-Authenticate header.
    Console.Error.WriteLine($"WWW-Authenticate: {response.Headers.WwwAuthenticate}");
    return 1;
}
Console.WriteLine(await response.Content.ReadAsStringAsync());
return 0;

static async Task<string> RequestAccessTokenAsync(HttpClient http, string tokenUrl)
{
    var credentials = $"{WebUtility.UrlEncode(Env("CLIENT_ID"))}:{WebUtility.UrlEncode(Env("CLIENT_SECRET"))}";
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
    if (!response.IsSuccessStatusCode || !body.TryGetProperty("access_token", out var token))
    {
        throw new InvalidOperationException($"Token request failed: HTTP {(int)response.StatusCode} {body.GetProperty("error")}");
    }
    return token.GetString()!;
}

static string Env(string name) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"Set {name} in the environment.");
