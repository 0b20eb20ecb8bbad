// Requests an access token with the client credentials grant (RFC 6749 §4.4) and prints
// what came back. Run: go run request_token.go (standard library only).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

func env(name string) string {
	value := os.Getenv(name)
	if value == "" {
		fail(fmt.Errorf("set %s in the environment", name))
	}
	return value
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// The token response (RFC 6749 §5.1), or an error response (§5.2).
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int    `json:"expires_in"`
	Scope            string `json:"scope"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func main() {
	tokenURL := env("SANDBOX_URL") + "/oauth/token"
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"{{READ_SCOPE}}"}}

	request, err := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		fail(err)
	}
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	request.Header.Set("Accept", "application/json")
	// client_secret_basic (RFC 6749 §2.3.1): form-encode the ID and the secret, then Basic.
	request.SetBasicAuth(url.QueryEscape(env("CLIENT_ID")), url.QueryEscape(env("CLIENT_SECRET")))

	client := &http.Client{Timeout: 10 * time.Second}
	response, err := client.Do(request)
	if err != nil {
		fail(err)
	}
	defer response.Body.Close()

	var body tokenResponse
	if err := json.NewDecoder(response.Body).Decode(&body); err != nil {
		fail(err)
	}
	if response.StatusCode != http.StatusOK {
		// RFC 6749 §5.2: an error answer names the problem in "error".
		fail(fmt.Errorf("token request failed: HTTP %d %s: %s", response.StatusCode, body.Error, body.ErrorDescription))
	}

	fmt.Printf("token_type: %s\n", body.TokenType)
	fmt.Printf("expires_in: %d\n", body.ExpiresIn)
	fmt.Printf("scope: %s\n", body.Scope)
	// The token is a credential: print its length, never the token itself.
	fmt.Printf("access_token: %d characters, not printed\n", len(body.AccessToken))
}
