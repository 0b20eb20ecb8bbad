// Gets an access token, then calls the API with it.
// Run: go run call_api.go (Go 1.19 or later, standard library only).
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

const timeout = 10 * time.Second

func env(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	if fallback == "" {
		fail("Set %s in the environment.", name)
	}
	return fallback
}

func sandboxDefault(path string) string {
	if sandbox := os.Getenv("SANDBOX_URL"); sandbox != "" {
		return sandbox + path
	}
	return ""
}

// fail ends the program with one line on stderr and exit code 1.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

// The client never follows a redirect: a redirected token request would carry the secret elsewhere.
var client = &http.Client{
	Timeout:       timeout,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// send sends one request and reads its answer; it ends the program when none comes back.
func send(what string, request *http.Request) (*http.Response, []byte) {
	response, err := client.Do(request)
	if err != nil {
		var netErr interface{ Timeout() bool }
		if errors.As(err, &netErr) && netErr.Timeout() {
			fail("%s failed: no answer from %s within %s", what, request.URL, timeout)
		}
		fail("%s failed: %v", what, err)
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, 1<<20))
	if err != nil {
		fail("%s failed: reading the answer: %v", what, err)
	}
	return response, body
}

// describeFailure says in one line what a failed answer was: its status, then the OAuth error
// (RFC 6749 §5.2, RFC 6750 §3) when the body is one.
func describeFailure(response *http.Response, body []byte) string {
	if response.StatusCode >= 300 && response.StatusCode < 400 {
		return fmt.Sprintf("HTTP %d, a redirect to %s; token requests do not follow redirects (check the URL)",
			response.StatusCode, response.Header.Get("Location"))
	}
	var oauthError struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if json.Unmarshal(body, &oauthError) == nil && oauthError.Error != "" {
		return fmt.Sprintf("HTTP %d %s: %s", response.StatusCode, oauthError.Error, oauthError.ErrorDescription)
	}
	text := strings.Join(strings.Fields(string(body)), " ")
	if len(text) > 200 {
		text = text[:200]
	}
	return fmt.Sprintf("HTTP %d, not an OAuth error answer: %s", response.StatusCode, text)
}

func requestAccessToken(tokenURL string) string {
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"{{READ_SCOPE}}"}}
	request, err := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		fail("Token request failed: %v", err)
	}
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	request.Header.Set("Accept", "application/json")
	// client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then Basic.
	// SetBasicAuth alone does not form-encode; url.QueryEscape does.
	request.SetBasicAuth(url.QueryEscape(env("CLIENT_ID", "")), url.QueryEscape(env("CLIENT_SECRET", "")))

	response, body := send("Token request", request)
	// Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
	if response.StatusCode != http.StatusOK {
		fail("Token request failed: %s", describeFailure(response, body))
	}
	var token struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &token) != nil || token.AccessToken == "" {
		fail("Token request failed: HTTP 200 without an access_token")
	}
	// A job that keeps the token would also read expires_in here, 300 s when it is missing (RFC
	// 6749 §5.1); see the token clients on the Expiration and refresh page.
	return token.AccessToken
}

func main() {
	tokenURL := env("TOKEN_URL", sandboxDefault("/oauth/token"))
	apiBaseURL := env("API_BASE_URL", sandboxDefault("/api/v1"))
	accessToken := requestAccessToken(tokenURL)

	request, err := http.NewRequest(http.MethodGet, apiBaseURL+"/reports", nil)
	if err != nil {
		fail("API call failed: %v", err)
	}
	// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
	request.Header.Set("Authorization", "Bearer "+accessToken)
	request.Header.Set("Accept", "application/json")
	response, body := send("API call", request)
	if response.StatusCode < 200 || response.StatusCode > 299 {
		// RFC 6750 §3: the reason is in the WWW-Authenticate header too; log it, it holds no secret.
		fail("API call failed: GET /api/v1/reports: %s (WWW-Authenticate: %s)", describeFailure(response, body), response.Header.Get("WWW-Authenticate"))
	}
	fmt.Printf("GET /api/v1/reports: HTTP %d\n", response.StatusCode)
	fmt.Println(string(body))
}
