// Gets an access token, then calls the API with it.
// Run: go run call_api.go (standard library only).
// Reads CLIENT_ID, CLIENT_SECRET and SANDBOX_URL from the environment.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

var client = &http.Client{Timeout: 10 * time.Second}

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

func requestAccessToken(tokenURL string) (string, error) {
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"{{READ_SCOPE}}"}}
	request, err := http.NewRequest(http.MethodPost, tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	request.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	request.Header.Set("Accept", "application/json")
	request.SetBasicAuth(url.QueryEscape(env("CLIENT_ID")), url.QueryEscape(env("CLIENT_SECRET")))

	response, err := client.Do(request)
	if err != nil {
		return "", err
	}
	defer response.Body.Close()
	var body struct {
		AccessToken      string `json:"access_token"`
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	if err := json.NewDecoder(response.Body).Decode(&body); err != nil {
		return "", err
	}
	if response.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token request failed: HTTP %d %s: %s", response.StatusCode, body.Error, body.ErrorDescription)
	}
	return body.AccessToken, nil
}

func main() {
	tokenURL := env("SANDBOX_URL") + "/oauth/token"
	apiBaseURL := env("SANDBOX_URL") + "/api/v1"

	accessToken, err := requestAccessToken(tokenURL)
	if err != nil {
		fail(err)
	}

	request, err := http.NewRequest(http.MethodGet, apiBaseURL+"/reports", nil)
	if err != nil {
		fail(err)
	}
	// RFC 6750 §2.1: the token goes in the Authorization header, after "Bearer" and one space.
	request.Header.Set("Authorization", "Bearer "+accessToken)
	request.Header.Set("Accept", "application/json")

	response, err := client.Do(request)
	if err != nil {
		fail(err)
	}
	defer response.Body.Close()

	fmt.Printf("GET /api/v1/reports: HTTP %d\n", response.StatusCode)
	if response.StatusCode != http.StatusOK {
		// RFC 6750 §3: the reason is in the WWW-Authenticate header.
		fail(fmt.Errorf("WWW-Authenticate: %s", response.Header.Get("WWW-Authenticate")))
	}
	body, err := io.ReadAll(response.Body)
	if err != nil {
		fail(err)
	}
	fmt.Println(string(body))
}
