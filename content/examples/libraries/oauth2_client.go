// Gets a token and calls the API with golang.org/x/oauth2/clientcredentials, the Go team's
// OAuth 2.0 client: it form-encodes the ID and secret for Basic, keeps the token and renews it.
// Run: go mod init example && go get golang.org/x/oauth2 && go run oauth2_client.go
// (Debian: apt-get install golang-golang-x-oauth2-dev, then GO111MODULE=off
// GOPATH=/usr/share/gocode go run oauth2_client.go).
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes.
const defaultExpiresIn = 300 * time.Second
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

// describe says in one line why a request failed: the status and OAuth error when an answer came.
func describe(err error, url string) string {
	var retrieve *oauth2.RetrieveError
	if errors.As(err, &retrieve) {
		status := retrieve.Response.StatusCode
		if status >= 300 && status < 400 {
			return fmt.Sprintf("HTTP %d, a redirect to %s; token requests do not follow redirects (check TOKEN_URL)",
				status, retrieve.Response.Header.Get("Location"))
		}
		var oauthError struct {
			Error            string `json:"error"`
			ErrorDescription string `json:"error_description"`
		}
		if json.Unmarshal(retrieve.Body, &oauthError) == nil && oauthError.Error != "" {
			return fmt.Sprintf("HTTP %d %s: %s", status, oauthError.Error, oauthError.ErrorDescription)
		}
		text := strings.Join(strings.Fields(string(retrieve.Body)), " ")
		if len(text) > 200 {
			text = text[:200]
		}
		return fmt.Sprintf("HTTP %d, not an OAuth error answer: %s", status, text)
	}
	var netErr interface{ Timeout() bool }
	if errors.As(err, &netErr) && netErr.Timeout() {
		return fmt.Sprintf("no answer from %s within %s", url, timeout)
	}
	return err.Error()
}

// withDefaultLifetime gives a token without expires_in the default lifetime: x/oauth2 would
// otherwise keep it forever.
type withDefaultLifetime struct {
	config *clientcredentials.Config
	ctx    context.Context
}

func (source withDefaultLifetime) Token() (*oauth2.Token, error) {
	token, err := source.config.Token(source.ctx)
	if err == nil && token.Expiry.IsZero() {
		token.Expiry = time.Now().Add(defaultExpiresIn)
	}
	return token, err
}

func main() {
	tokenURL := env("TOKEN_URL", sandboxDefault("/oauth/token"))
	apiBaseURL := env("API_BASE_URL", sandboxDefault("/api/v1"))
	config := &clientcredentials.Config{
		ClientID:     env("CLIENT_ID", ""),
		ClientSecret: env("CLIENT_SECRET", ""),
		TokenURL:     tokenURL,
		Scopes:       []string{"{{READ_SCOPE}}"},
		AuthStyle:    oauth2.AuthStyleInHeader, // client_secret_basic
	}
	// Every request, the token request too, goes through this client: a 10 s timeout, and no
	// redirects followed (a redirected token request would carry the secret elsewhere).
	httpClient := &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, httpClient)
	// ReuseTokenSource keeps the token and asks for a new one 10 s before it expires.
	tokens := oauth2.ReuseTokenSource(nil, withDefaultLifetime{config, ctx})
	if _, err := tokens.Token(); err != nil {
		fail("Token request failed: %s", describe(err, tokenURL))
	}
	// The API client adds Authorization: Bearer to each call; same timeout, no redirects.
	api := &http.Client{
		Timeout:       timeout,
		CheckRedirect: httpClient.CheckRedirect,
		Transport:     &oauth2.Transport{Source: tokens},
	}

	response, err := api.Get(apiBaseURL + "/reports")
	if err != nil {
		fail("API call failed: %s", describe(err, apiBaseURL))
	}
	defer response.Body.Close()
	body, err := io.ReadAll(io.LimitReader(response.Body, 1<<20))
	if err != nil {
		fail("API call failed: reading the answer: %v", err)
	}
	if response.StatusCode < 200 || response.StatusCode > 299 {
		fail("API call failed: GET /api/v1/reports: HTTP %d (WWW-Authenticate: %s)", response.StatusCode, response.Header.Get("WWW-Authenticate"))
	}
	fmt.Printf("GET /api/v1/reports: HTTP %d\n", response.StatusCode)
	fmt.Println(string(body))
}
