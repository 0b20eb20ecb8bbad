// Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints what
// came back. Run: go run request_token.go (Go 1.19 or later, standard library only).
// Reads CLIENT_ID, CLIENT_SECRET and TOKEN_URL from the environment; in the sandbox, TOKEN_URL
// defaults to $SANDBOX_URL/oauth/token.
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

// RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes.
const defaultExpiresIn = 300
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

// fail ends the program with one line on stderr and exit code 1.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func sandboxDefault(path string) string {
	if sandbox := os.Getenv("SANDBOX_URL"); sandbox != "" {
		return sandbox + path
	}
	return ""
}

// The token response (RFC 6749 §5.1), or an error response (§5.2).
type tokenResponse struct {
	AccessToken      *string `json:"access_token"`
	TokenType        string  `json:"token_type"`
	ExpiresIn        *int64  `json:"expires_in"`
	Scope            *string `json:"scope"`
	Error            string  `json:"error"`
	ErrorDescription string  `json:"error_description"`
}

func oneLine(body []byte) string {
	text := strings.Join(strings.Fields(string(body)), " ")
	if len(text) > 200 {
		text = text[:200]
	}
	return text
}

func main() {
	tokenURL := env("TOKEN_URL", sandboxDefault("/oauth/token"))
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

	client := &http.Client{
		Timeout: timeout,
		// A redirected token request would carry the secret elsewhere: treat a 3xx as an error.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	response, err := client.Do(request)
	if err != nil {
		var netErr interface{ Timeout() bool }
		if errors.As(err, &netErr) && netErr.Timeout() {
			fail("Token request failed: no answer from %s within %s", tokenURL, timeout)
		}
		fail("Token request failed: %v", err)
	}
	defer response.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(response.Body, 1<<20))
	if err != nil {
		fail("Token request failed: reading the answer: %v", err)
	}

	// Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
	var body tokenResponse
	isJSON := json.Unmarshal(raw, &body) == nil
	switch {
	case response.StatusCode >= 300 && response.StatusCode < 400:
		fail("Token request failed: HTTP %d, a redirect to %s; token requests do not follow redirects (check TOKEN_URL)",
			response.StatusCode, response.Header.Get("Location"))
	case response.StatusCode != http.StatusOK && isJSON && body.Error != "":
		// RFC 6749 §5.2: an OAuth error answer is JSON with "error" and maybe "error_description".
		fail("Token request failed: HTTP %d %s: %s", response.StatusCode, body.Error, body.ErrorDescription)
	case response.StatusCode != http.StatusOK:
		fail("Token request failed: HTTP %d, not an OAuth error answer: %s", response.StatusCode, oneLine(raw))
	case !isJSON || body.AccessToken == nil:
		fail("Token request failed: HTTP 200 without an access_token: %s", oneLine(raw))
	}

	expiresIn := fmt.Sprintf("not sent; assuming %d", defaultExpiresIn)
	if body.ExpiresIn != nil {
		expiresIn = fmt.Sprint(*body.ExpiresIn)
	}
	scope := "not sent"
	if body.Scope != nil {
		scope = *body.Scope
	}
	fmt.Printf("token_type: %s\n", body.TokenType)
	fmt.Printf("expires_in: %s\n", expiresIn)
	fmt.Printf("scope: %s\n", scope)
	// The token is a credential: print its length, never the token itself.
	fmt.Printf("access_token: %d characters, not printed\n", len(*body.AccessToken))
}
