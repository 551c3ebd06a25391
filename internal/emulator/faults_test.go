package emulator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLatency(t *testing.T) {
	s := startServer(t, Options{})
	s.SetLatency(150 * time.Millisecond)
	start := time.Now()
	do(t, s, "GET", "/health", "")
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("request took %v, want >= 150ms", d)
	}
}

func TestFailNext(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai"}})
	s.FailNext(2, Fault{Method: "POST", PathPrefix: "/api/providers/openai/keys", Status: 429, RetryAfter: "1"})
	for range 2 {
		resp := send(t, s, "POST", "/api/providers/openai/keys", `{"name":"k","value":"sk-123456789"}`)
		resp.Body.Close()
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" {
			t.Errorf("got %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	if status, _ := do(t, s, "GET", "/api/providers/openai/keys", ""); status != 200 {
		t.Errorf("a non-matching request must pass, got %d", status)
	}
	if n := len(s.Keys("openai")); n != 0 {
		t.Errorf("faulted writes must not store, %d keys", n)
	}
	if status, _ := do(t, s, "POST", "/api/providers/openai/keys", `{"name":"k","value":"sk-123456789"}`); status != 200 {
		t.Errorf("third request must pass, got %d", status)
	}
	s.FailNext(1, Fault{Status: 500, Message: "boom"})
	if status, body := do(t, s, "GET", "/health", ""); status != 500 || body != errBody(500, "boom") {
		t.Errorf("got %d %s", status, body)
	}
}

// lockOutcomes creates n keys under LockWrites and reports which failed.
func lockOutcomes(t *testing.T, fraction float64, seed int64, n int) []bool {
	s := startServer(t, Options{Providers: []string{"openai"}})
	s.LockWrites(fraction, seed)
	out := make([]bool, n)
	for i := range n {
		status, body := do(t, s, "POST", "/api/providers/openai/keys", `{"name":"k`+string(rune('a'+i))+`","value":"sk-123456789"}`)
		if status == 500 {
			if body != errBody(500, "Failed to create provider key: failed to create provider key in store: database is locked") {
				t.Fatalf("lock body %s", body)
			}
			out[i] = true
		}
	}
	if stored := len(s.Keys("openai")); stored != n-count(out) {
		t.Errorf("%d keys stored, want %d (locked writes must not store)", stored, n-count(out))
	}
	return out
}

func count(l []bool) int {
	n := 0
	for _, b := range l {
		if b {
			n++
		}
	}
	return n
}

func TestLockWrites(t *testing.T) {
	a, b := lockOutcomes(t, 0.5, 7, 20), lockOutcomes(t, 0.5, 7, 20)
	if n := count(a); n == 0 || n == 20 {
		t.Errorf("fraction 0.5 locked %d of 20", n)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different outcome at %d", i)
		}
	}
	if n := count(lockOutcomes(t, 1, 1, 3)); n != 3 {
		t.Errorf("fraction 1 locked %d of 3", n)
	}

	s := startServer(t, Options{Providers: []string{"openai"}})
	do(t, s, "POST", "/api/providers/openai/keys", `{"id":"k1","name":"k","value":"sk-123456789"}`)
	s.LockWrites(1, 1)
	if _, body := do(t, s, "PUT", "/api/providers/openai/keys/k1", `{"name":"renamed","value":"sk-123456789"}`); body != errBody(500, "Failed to update provider key: failed to update provider key in store: database is locked") {
		t.Errorf("update: %s", body)
	}
	if _, body := do(t, s, "DELETE", "/api/providers/openai/keys/k1", ""); body != errBody(500, "Failed to delete provider key: failed to delete provider key in store: database is locked") {
		t.Errorf("delete: %s", body)
	}
	if keys := s.Keys("openai"); len(keys) != 1 || keys[0].Name != "k" {
		t.Errorf("locked update/delete changed state: %+v", keys)
	}
}

func TestDropAfterStore(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai"}})
	s.DropAfterStore(1, "POST")
	req, _ := http.NewRequest("POST", s.URL()+"/api/providers/openai/keys", strings.NewReader(`{"id":"c1","name":"k","value":"sk-123456789"}`))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("want a dropped connection, got %d", resp.StatusCode)
	}
	if keys := s.Keys("openai"); len(keys) != 1 || keys[0].ID != "c1" {
		t.Errorf("the write must be applied: %+v", keys)
	}
	if status, body := do(t, s, "POST", "/api/providers/openai/keys", `{"id":"c1","name":"k","value":"sk-123456789"}`); status != 500 || !strings.Contains(body, "key id already exists") {
		t.Errorf("retry: %d %s", status, body)
	}
}

func TestResetConnections(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai"}})
	s.ResetConnections(1)
	req, _ := http.NewRequest("POST", s.URL()+"/api/providers/openai/keys", strings.NewReader(`{"name":"k","value":"sk-123456789"}`))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("want a reset connection, got %d", resp.StatusCode)
	}
	if n := len(s.Keys("openai")); n != 0 {
		t.Errorf("reset request must not store, %d keys", n)
	}
	if status, _ := do(t, s, "GET", "/health", ""); status != 200 {
		t.Errorf("next request: %d", status)
	}
	if reqs := s.Requests(); len(reqs) != 2 || reqs[0].Status != 0 || reqs[1].Status != 200 {
		t.Errorf("log: %+v", reqs)
	}
}

// hangsArmed is the number of armed hangs no request has taken yet.
func hangsArmed(s *Server) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hangN
}

func TestHang(t *testing.T) {
	s := startServer(t, Options{})
	// Every request on a fresh connection: over a reused one, net/http
	// silently resends a GET the server closed without answering, and the
	// resent request, which does not hang, would answer the client's call.
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	// hang arms one hang, sends GET /health with ctx and returns once the
	// request hangs; the channel gets the client's error.
	hang := func(ctx context.Context) <-chan error {
		s.Hang(1)
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/health", nil)
		done := make(chan error, 1)
		go func() {
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			done <- err
		}()
		for deadline := time.Now().Add(5 * time.Second); hangsArmed(s) > 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the request did not reach the server")
			}
		}
		return done
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := hang(ctx)
	select {
	case err := <-done:
		t.Fatalf("a hung request must get no response until the client gives up, got %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("want the client to give up, got %v", err)
	}
	if status, _ := do(t, s, "GET", "/health", ""); status != 200 {
		t.Errorf("next request: %d", status)
	}

	done = hang(context.Background())
	s.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a hung request must get no response")
		}
	case <-time.After(5 * time.Second):
		t.Error("Close did not release the hung request")
	}
	if reqs := s.Requests(); len(reqs) != 3 || reqs[0].Status != 0 || reqs[1].Status != 200 || reqs[2].Status != 0 {
		t.Errorf("log: %+v", reqs)
	}
}

func TestReadLag(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai"}})
	// A lag far longer than the test hides the key however slowly the
	// requests run; shortened afterwards, it is one the key has outlived.
	s.SetReadLag(time.Hour)
	if status, _ := do(t, s, "POST", "/api/providers/openai/keys", `{"id":"lag","name":"k","value":"sk-123456789"}`); status != 200 {
		t.Fatal(status)
	}
	if status, body := do(t, s, "GET", "/api/providers/openai/keys/lag", ""); status != 404 || body != errBody(404, msgKeyNotFound) {
		t.Errorf("lagging GET: %d %s", status, body)
	}
	if _, body := do(t, s, "GET", "/api/providers/openai/keys", ""); body != `{"keys":[],"total":0}`+"\n" {
		t.Errorf("lagging list: %s", body)
	}
	s.SetReadLag(50 * time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	if status, _ := do(t, s, "GET", "/api/providers/openai/keys/lag", ""); status != 200 {
		t.Errorf("after the lag: %d", status)
	}
}

func TestRequestLog(t *testing.T) {
	s := startServer(t, Options{Version: "v2.2.6", SetupToken: "tok", Providers: []string{"openai"}})
	do(t, s, "POST", "/api/providers/openai/keys", `{"name":"k","value":"sk-123456789"}`, "X-Bifrost-Setup-Token", "tok", "Authorization", "Bearer secret")
	do(t, s, "GET", "/api/providers/my%2Dp", "", "X-Bifrost-Setup-Token", "tok")
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Provider != "openai" || r.Status != 200 || !strings.Contains(r.Body, `"name":"k"`) ||
		r.Header.Get("X-Bifrost-Setup-Token") != "[set]" || r.Header.Get("Authorization") != "[set]" {
		t.Errorf("logged %+v", r)
	}
	if reqs[1].Path != "/api/providers/my%2Dp" || reqs[1].Provider != "my-p" || reqs[1].Status != 404 {
		t.Errorf("logged %+v", reqs[1])
	}
	if n := s.Count("POST", "/api/providers/openai"); n != 1 {
		t.Errorf("Count = %d", n)
	}
	s.ResetRequests()
	if n := s.Count("", "/"); n != 0 {
		t.Errorf("Count after reset = %d", n)
	}
}

func TestConcurrentWrites(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai"}})
	s.SetLatency(10 * time.Millisecond)
	errs := make(chan string, 40)
	for i := range 40 {
		go func() {
			resp, err := http.Post(s.URL()+"/api/providers/openai/keys", "application/json",
				strings.NewReader(fmt.Sprintf(`{"name":"k%d","value":"sk-123456789"}`, i)))
			switch {
			case err != nil:
				errs <- err.Error()
			case resp.StatusCode != 200:
				errs <- resp.Status
			default:
				errs <- ""
			}
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	for range 40 {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
	if n := len(s.Keys("openai")); n != 40 {
		t.Errorf("%d keys stored, want 40", n)
	}
}
