// A token client for the client credentials grant. It keeps the token, renews it before it
// expires, lets concurrent callers share one renewal, retries an API call once on 401, and
// backs off on 429 and 5xx. Run: go run token_client.go (standard library only).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Renew this long before the token expires; short-lived tokens renew at half their life.
const safetyMargin = 60 * time.Second

// withBackoff sends a request again on 429 or 5xx: after Retry-After when the server gives
// one, else 1, 2, 4 s. newRequest builds a fresh request each time, since a body is read once.
func withBackoff(client *http.Client, newRequest func() (*http.Request, error)) (*http.Response, error) {
	const maxAttempts = 4
	for attempt := 1; ; attempt++ {
		request, err := newRequest()
		if err != nil {
			return nil, err
		}
		response, err := client.Do(request)
		if err != nil {
			return nil, err
		}
		if (response.StatusCode != http.StatusTooManyRequests && response.StatusCode < 500) || attempt == maxAttempts {
			return response, nil
		}
		delay := time.Duration(1<<(attempt-1)) * time.Second
		if seconds, err := strconv.Atoi(response.Header.Get("Retry-After")); err == nil && seconds > 0 {
			if seconds > 60 {
				seconds = 60
			}
			delay = time.Duration(seconds) * time.Second
		}
		response.Body.Close()
		time.Sleep(delay)
	}
}

type TokenClient struct {
	clientID, clientSecret string
	tokenURL, apiBaseURL   string
	httpClient             *http.Client

	mu      sync.Mutex
	token   string
	renewAt time.Time
	// TokenRequests counts how many times this client asked for a token.
	TokenRequests int
}

// AccessToken returns a token that is valid now: the kept one, or a new one.
func (c *TokenClient) AccessToken() (string, error) {
	// One renewal for everyone: the first caller renews while the others wait for the lock,
	// then find the new token.
	c.mu.Lock()
	defer c.mu.Unlock()
	// time.Now() carries a monotonic reading: a change of the wall clock cannot expire a token.
	if c.token != "" && time.Now().Before(c.renewAt) {
		return c.token, nil
	}
	return c.requestToken()
}

func (c *TokenClient) requestToken() (string, error) {
	c.TokenRequests++
	// expires_in counts from when the server answered; timing from the request errs on the safe side.
	sentAt := time.Now()
	response, err := withBackoff(c.httpClient, func() (*http.Request, error) {
		form := url.Values{"grant_type": {"client_credentials"}, "scope": {"{{READ_SCOPE}}"}}
		request, err := http.NewRequest(http.MethodPost, c.tokenURL, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		request.Header.Set("Accept", "application/json")
		// client_secret_basic (RFC 6749 §2.3.1): form-encode each part before Basic.
		request.SetBasicAuth(url.QueryEscape(c.clientID), url.QueryEscape(c.clientSecret))
		return request, nil
	})
	if err != nil {
		return "", err
	}
	defer response.Body.Close()
	var body struct {
		AccessToken      string `json:"access_token"`
		ExpiresIn        int    `json:"expires_in"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if err := json.NewDecoder(response.Body).Decode(&body); err != nil {
		return "", err
	}
	if response.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token request failed: HTTP %d %s: %s", response.StatusCode, body.Error, body.ErrorDescription)
	}
	lifetime := time.Duration(body.ExpiresIn) * time.Second
	margin := safetyMargin
	if lifetime/2 < margin {
		margin = lifetime / 2
	}
	c.token = body.AccessToken
	c.renewAt = sentAt.Add(lifetime - margin)
	return c.token, nil
}

// forget drops a refused token, unless another caller has already replaced it.
func (c *TokenClient) forget(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == token {
		c.token = ""
	}
}

// Get calls the API. On 401 the token was refused (revoked, expired early): renew once and retry.
func (c *TokenClient) Get(path string) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		token, err := c.AccessToken()
		if err != nil {
			return nil, err
		}
		response, err := withBackoff(c.httpClient, func() (*http.Request, error) {
			request, err := http.NewRequest(http.MethodGet, c.apiBaseURL+path, nil)
			if err != nil {
				return nil, err
			}
			request.Header.Set("Authorization", "Bearer "+token)
			request.Header.Set("Accept", "application/json")
			return request, nil
		})
		if err != nil || response.StatusCode != http.StatusUnauthorized || attempt == 2 {
			return response, err
		}
		response.Body.Close()
		c.forget(token)
	}
}

func env(name string) string {
	value := os.Getenv(name)
	if value == "" {
		fmt.Fprintf(os.Stderr, "set %s in the environment\n", name)
		os.Exit(1)
	}
	return value
}

func main() {
	client := &TokenClient{
		clientID:     env("CLIENT_ID"),
		clientSecret: env("CLIENT_SECRET"),
		tokenURL:     env("SANDBOX_URL") + "/oauth/token",
		apiBaseURL:   env("SANDBOX_URL") + "/api/v1",
		httpClient:   &http.Client{Timeout: 10 * time.Second},
	}

	// Three calls at once share one token request.
	results := make([]string, 3)
	failed := false
	var wg sync.WaitGroup
	var failedMu sync.Mutex
	for i := range results {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			response, err := client.Get("/reports")
			if err != nil {
				results[i] = err.Error()
			} else {
				response.Body.Close()
				results[i] = fmt.Sprintf("HTTP %d", response.StatusCode)
			}
			if err != nil || response.StatusCode != http.StatusOK {
				failedMu.Lock()
				failed = true
				failedMu.Unlock()
			}
		}(i)
	}
	wg.Wait()

	for i, result := range results {
		fmt.Printf("call %d: GET /api/v1/reports: %s\n", i+1, result)
	}
	fmt.Printf("token requests: %d\n", client.TokenRequests)
	if failed {
		os.Exit(1)
	}
}
