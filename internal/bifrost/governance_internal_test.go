package bifrost

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A virtual key response carries the key's value and, in its MCP configs,
// the MCP client row decrypted: none of it reaches a log line.
func TestRedactBodyMasksVirtualKeySecrets(t *testing.T) {
	body := `{"message":"Virtual key created successfully","virtual_key":{"id":"v","name":"n",` +
		`"value":"sk-bf-1d8e3a1b-f3a1-452a-9ca4-454feacc4f0c",` +
		`"mcp_configs":[{"id":1,"mcp_client":{"name":"gh","connection_string":"https://user:pw-0123456789@mcp.example.com",` +
		`"headers":{"Authorization":"Bearer ghp-0123456789abcdef"}},"tools_to_execute":["*"]}],` +
		`"customer":{"virtual_keys":[{"value":"sk-bf-ffffffff-f3a1-452a-9ca4-454feacc4f0c"}]}}}`
	got := redactBody([]byte(body), nil)
	for _, secret := range []string{"1d8e3a1b-f3a1-452a-9ca4", "ffffffff-f3a1", "pw-0123456789", "ghp-0123456789abcdef"} {
		if strings.Contains(got, secret) {
			t.Errorf("log line holds %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, `"name":"gh"`) || !strings.Contains(got, `"tools_to_execute":["*"]`) {
		t.Errorf("log line lost plain fields: %s", got)
	}
}

// TestHiddenCauseSlowsWrites: a governance handler's fixed 500 (which hides
// a locked store among other causes) makes the write limiter back off, as a
// lock answer does, and the retried write then succeeds.
func TestHiddenCauseSlowsWrites(t *testing.T) {
	answered := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		answered++
		if answered == 1 {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"is_bifrost_error":false,"status_code":500,"error":{"message":"` + msgVKDeleteFailed + `"},"extra_fields":{}}` + "\n"))
			return
		}
		_, _ = w.Write([]byte(`{"message":"Virtual key deleted successfully"}` + "\n"))
	}))
	defer srv.Close()
	c, err := New(Config{Endpoint: srv.URL, MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := c.writes.state()
	if err := c.DeleteVirtualKey(context.Background(), "vk"); err != nil {
		t.Fatalf("delete after a hidden-cause 500: %v", err)
	}
	if after, _ := c.writes.state(); after >= before || answered != 2 {
		t.Errorf("write limit %v → %v after a hidden-cause 500 (%d answers): want it lowered and the delete retried", before, after, answered)
	}
}
