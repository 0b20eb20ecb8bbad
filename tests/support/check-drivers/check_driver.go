// Drives the guide's Go token client (content/examples/token-client/token_client.go, built beside
// this file with its own main renamed) for a client check: CALLERS goroutines call the API through
// one TokenClient for RUN_SECONDS, CALL_EVERY_SECONDS apart, and the result is one JSON line.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	origin := os.Getenv("SANDBOX_URL")
	client := &TokenClient{
		clientID:     os.Getenv("CLIENT_ID"),
		clientSecret: os.Getenv("CLIENT_SECRET"),
		tokenURL:     origin + "/oauth/token",
		apiBaseURL:   origin + "/api/v1",
		httpClient: &http.Client{
			Timeout:       timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	runSeconds, _ := strconv.ParseFloat(os.Getenv("RUN_SECONDS"), 64)
	callers, _ := strconv.Atoi(os.Getenv("CALLERS"))
	every, _ := strconv.ParseFloat(os.Getenv("CALL_EVERY_SECONDS"), 64)
	until := time.Now().Add(time.Duration(runSeconds * float64(time.Second)))
	var mu sync.Mutex
	statuses := map[int]int{}
	failures := 0
	var wg sync.WaitGroup
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(until) {
				response, _, err := client.Get("/reports")
				mu.Lock()
				if err != nil {
					failures++
				} else {
					statuses[response.StatusCode]++
				}
				mu.Unlock()
				time.Sleep(time.Duration(every * float64(time.Second)))
			}
		}()
	}
	wg.Wait()
	out, _ := json.Marshal(map[string]interface{}{"statuses": statuses, "failures": failures, "token_requests": client.TokenRequests})
	fmt.Println(string(out))
}
