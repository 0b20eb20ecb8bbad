// Gets a token with private_key_jwt (RFC 7523) and calls the API. Standard library only: Go's
// golang.org/x/oauth2/clientcredentials sends secrets, not assertions, so the assertion is built
// here (a JWT is three base64url parts). Run: go run private_key_jwt.go
// Reads CLIENT_ID, KEY_ID, PRIVATE_KEY_FILE (an Ed25519 key, PKCS#8 PEM) and SANDBOX_URL.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"os"
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

func loadKey(path string) ed25519.PrivateKey {
	data, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		fail(fmt.Errorf("%s is not a PEM file", path))
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		fail(err)
	}
	private, ok := key.(ed25519.PrivateKey)
	if !ok {
		fail(fmt.Errorf("%s is not an Ed25519 key", path))
	}
	return private
}

// clientAssertion signs a JWT for RFC 7523 §3: iss and sub the client, aud the issuer,
// a 60-second life and a fresh jti. Make a new one for every request: each is single-use.
func clientAssertion(key ed25519.PrivateKey, clientID, keyID, issuer string) string {
	encode := func(value any) string {
		data, err := json.Marshal(value)
		if err != nil {
			fail(err)
		}
		return base64.RawURLEncoding.EncodeToString(data)
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		fail(err)
	}
	now := time.Now().Unix()
	signingInput := encode(map[string]string{"alg": "EdDSA", "kid": keyID}) + "." + encode(map[string]any{
		"iss": clientID, "sub": clientID, "aud": issuer,
		"iat": now, "exp": now + 60, "jti": hex.EncodeToString(jti),
	})
	signature := ed25519.Sign(key, []byte(signingInput))
	return signingInput + "." + base64.RawURLEncoding.EncodeToString(signature)
}

type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int    `json:"expires_in"`
	Scope            string `json:"scope"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

func main() {
	sandboxURL := env("SANDBOX_URL")
	clientID := env("CLIENT_ID")
	key := loadKey(env("PRIVATE_KEY_FILE"))
	httpClient := &http.Client{Timeout: 10 * time.Second}

	form := url.Values{
		"grant_type":            {"client_credentials"},
		"scope":                 {"{{READ_SCOPE}}"},
		"client_id":             {clientID},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		// The sandbox's issuer identifier is its origin.
		"client_assertion": {clientAssertion(key, clientID, env("KEY_ID"), sandboxURL)},
	}
	response, err := httpClient.PostForm(sandboxURL+"/oauth/token", form)
	if err != nil {
		fail(err)
	}
	defer response.Body.Close()
	var token tokenResponse
	if err := json.NewDecoder(response.Body).Decode(&token); err != nil {
		fail(err)
	}
	if response.StatusCode != http.StatusOK {
		fail(fmt.Errorf("token request: HTTP %d %s: %s", response.StatusCode, token.Error, token.ErrorDescription))
	}
	fmt.Printf("token_type: %s\nexpires_in: %d\nscope: %s\n", token.TokenType, token.ExpiresIn, token.Scope)
	fmt.Printf("access_token: %d characters, not printed\n", len(token.AccessToken))

	request, err := http.NewRequest(http.MethodGet, sandboxURL+"/api/v1/reports", nil)
	if err != nil {
		fail(err)
	}
	request.Header.Set("Authorization", "Bearer "+token.AccessToken)
	api, err := httpClient.Do(request)
	if err != nil {
		fail(err)
	}
	api.Body.Close()
	fmt.Printf("GET /api/v1/reports: HTTP %d\n", api.StatusCode)
	if api.StatusCode != http.StatusOK {
		os.Exit(1)
	}
}
