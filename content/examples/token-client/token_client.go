// A token client for the client credentials grant. It keeps the token, renews it before it
// expires, lets concurrent callers share one renewal, retries an API call once on 401
// invalid_token, and backs off on 429, 5xx and network failures (after an API 429, every caller
// waits out its Retry-After).
// Run: go run token_client.go (Go 1.19 or later, standard library only).
// Reads CLIENT_ID, CLIENT_SECRET, TOKEN_URL and API_BASE_URL from the environment; in the
// sandbox, they default to $SANDBOX_URL/oauth/token and $SANDBOX_URL/api/v1.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// Renew this long before the token expires; short-lived tokens renew at half their life.
	safetyMargin = 60 * time.Second
	// RFC 6749 §5.1: expires_in is RECOMMENDED, not REQUIRED. Without it, assume 5 minutes.
	defaultLifetime = 300 * time.Second
	// Each attempt's timeout.
	timeout = 10 * time.Second
	// The back-off schedule of the guide: 4 attempts, steps of 0.5, 1, 2 s with equal jitter.
	maxAttempts = 4
	baseDelay   = 500 * time.Millisecond
	// A Retry-After longer than this ends the attempts at once.
	maxRetryAfter = 30 * time.Second
	// All attempts of one request together end after this long.
	deadline = 25 * time.Second
)

// failure is an error the program reports as it is, in one line.
type failure string

func (f failure) Error() string { return string(f) }

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

// withBackoff sends a request, and again on 429, 5xx or no answer: 4 attempts at most, waiting
// between half and all of 0.5, 1, then 2 s, or Retry-After plus up to half a step (RFC 9110
// §10.2.3). It returns the answer with its body read.
// onRetryAfter, when not nil, hears each Retry-After of a 429, so the other callers wait too.
func withBackoff(client *http.Client, what string, newRequest func() (*http.Request, error), onRetryAfter func(time.Duration)) (*http.Response, []byte, error) {
	giveUpAt := time.Now().Add(deadline)
	for attempt := 1; ; attempt++ {
		request, err := newRequest()
		if err != nil {
			return nil, nil, err
		}
		var problem string
		retryAfter := time.Duration(-1)
		response, err := client.Do(request)
		if err == nil {
			body, readErr := io.ReadAll(io.LimitReader(response.Body, 1<<20))
			response.Body.Close()
			if readErr == nil && response.StatusCode != http.StatusTooManyRequests && response.StatusCode < 500 {
				return response, body, nil
			}
			err = readErr
			if readErr == nil {
				problem = fmt.Sprintf("%s failed: %s", what, describeFailure(response, body))
				if seconds, convErr := strconv.Atoi(response.Header.Get("Retry-After")); convErr == nil && seconds >= 0 {
					retryAfter = time.Duration(seconds) * time.Second
					if response.StatusCode == http.StatusTooManyRequests && onRetryAfter != nil {
						onRetryAfter(retryAfter)
					}
				}
			}
		}
		if err != nil {
			var netErr interface{ Timeout() bool }
			if errors.As(err, &netErr) && netErr.Timeout() {
				problem = fmt.Sprintf("%s failed: no answer from %s within %s", what, request.URL, timeout)
			} else {
				problem = fmt.Sprintf("%s failed: %v", what, err)
			}
		}
		if attempt == maxAttempts || retryAfter > maxRetryAfter {
			return nil, nil, failure(problem)
		}
		step := baseDelay << (attempt - 1)
		jitter := time.Duration(rand.Int63n(int64(step/2) + 1))
		delay := step/2 + jitter
		if retryAfter >= 0 {
			delay = retryAfter + jitter
		}
		// Another attempt that cannot finish before the deadline is not made.
		if time.Now().Add(delay + timeout).After(giveUpAt) {
			return nil, nil, failure(problem)
		}
		time.Sleep(delay)
	}
}

// TokenClient keeps one access token and renews it before it expires.
type TokenClient struct {
	clientID, clientSecret string
	tokenURL, apiBaseURL   string
	httpClient             *http.Client

	mu      sync.Mutex
	token   string
	renewAt time.Time
	// The last renewal's failure, shared with the callers that waited for it.
	lastFailure   error
	lastFailureAt time.Time
	// TokenRequests counts how many times this client asked for a token.
	TokenRequests int

	// A 429 from the API limits the client, not one call (RFC 6585 §4): until apiNotBefore, no
	// caller sends an API call.
	gate         sync.Mutex
	apiNotBefore time.Time
}

// waitForAPI waits while an API 429's Retry-After holds.
func (c *TokenClient) waitForAPI() {
	c.gate.Lock()
	wait := time.Until(c.apiNotBefore)
	c.gate.Unlock()
	if wait > 0 {
		time.Sleep(wait)
	}
}

// pauseAPI makes every caller wait retryAfter before its next API call.
func (c *TokenClient) pauseAPI(retryAfter time.Duration) {
	c.gate.Lock()
	defer c.gate.Unlock()
	if until := time.Now().Add(retryAfter); until.After(c.apiNotBefore) {
		c.apiNotBefore = until
	}
}

// AccessToken returns a token that is valid now: the kept one, or a new one.
func (c *TokenClient) AccessToken() (string, error) {
	askedAt := time.Now()
	// One renewal for everyone: the first caller renews while the others wait for the lock,
	// then find the new token, or the failure of that same renewal.
	c.mu.Lock()
	defer c.mu.Unlock()
	// time.Now() carries a monotonic reading: a change of the wall clock cannot expire a token.
	if c.token != "" && time.Now().Before(c.renewAt) {
		return c.token, nil
	}
	if c.lastFailure != nil && c.lastFailureAt.After(askedAt) {
		return "", c.lastFailure
	}
	token, err := c.requestToken()
	if err != nil {
		c.lastFailure, c.lastFailureAt = err, time.Now()
	}
	return token, err
}

func (c *TokenClient) requestToken() (string, error) {
	c.TokenRequests++
	// expires_in counts from when the server answered; timing from the request errs on the safe side.
	sentAt := time.Now()
	response, raw, err := withBackoff(c.httpClient, "Token request", func() (*http.Request, error) {
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
	}, nil)
	if err != nil {
		return "", err
	}
	// Check the status before trusting the body as JSON: a proxy's 502 page is HTML.
	if response.StatusCode != http.StatusOK {
		return "", failure("Token request failed: " + describeFailure(response, raw))
	}
	var body struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   *int64 `json:"expires_in"`
	}
	if json.Unmarshal(raw, &body) != nil || body.AccessToken == "" {
		return "", failure("Token request failed: HTTP 200 without an access_token")
	}
	lifetime := defaultLifetime
	if body.ExpiresIn != nil {
		lifetime = time.Duration(*body.ExpiresIn) * time.Second
	}
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

// Get GETs an API path (idempotent, so it may be retried). On 401 invalid_token the token was
// refused (revoked, expired early): renew once and retry, never more.
func (c *TokenClient) Get(path string) (*http.Response, []byte, error) {
	for attempt := 1; ; attempt++ {
		token, err := c.AccessToken()
		if err != nil {
			return nil, nil, err
		}
		response, body, err := withBackoff(c.httpClient, "API call", func() (*http.Request, error) {
			c.waitForAPI()
			request, err := http.NewRequest(http.MethodGet, c.apiBaseURL+path, nil)
			if err != nil {
				return nil, err
			}
			request.Header.Set("Authorization", "Bearer "+token)
			request.Header.Set("Accept", "application/json")
			return request, nil
		}, c.pauseAPI)
		invalidToken := err == nil && response.StatusCode == http.StatusUnauthorized &&
			strings.Contains(response.Header.Get("WWW-Authenticate"), `error="invalid_token"`)
		if !invalidToken || attempt == 2 {
			return response, body, err
		}
		c.forget(token)
	}
}

func env(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	if fallback == "" {
		fmt.Fprintf(os.Stderr, "Set %s in the environment.\n", name)
		os.Exit(1)
	}
	return fallback
}

func sandboxDefault(path string) string {
	if sandbox := os.Getenv("SANDBOX_URL"); sandbox != "" {
		return sandbox + path
	}
	return ""
}

func main() {
	// Go before 1.20 starts every process with the same random sequence: the jitter would be the
	// same in every instance of the job.
	rand.Seed(time.Now().UnixNano())
	client := &TokenClient{
		clientID:     env("CLIENT_ID", ""),
		clientSecret: env("CLIENT_SECRET", ""),
		tokenURL:     env("TOKEN_URL", sandboxDefault("/oauth/token")),
		apiBaseURL:   env("API_BASE_URL", sandboxDefault("/api/v1")),
		httpClient: &http.Client{
			Timeout: timeout,
			// A redirected token request would carry the secret elsewhere: treat a 3xx as an error.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}

	// Three calls at once share one token request.
	statuses := make([]int, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			response, _, err := client.Get("/reports")
			if err == nil {
				statuses[i] = response.StatusCode
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			// The three calls fail alike: report the first, once.
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("call %d: GET /api/v1/reports: HTTP %d\n", i+1, statuses[i])
	}
	fmt.Printf("token requests: %d\n", client.TokenRequests)
	for _, status := range statuses {
		if status != http.StatusOK {
			os.Exit(1)
		}
	}
}
