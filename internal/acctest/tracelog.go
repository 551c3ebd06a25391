package acctest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TraceLog makes the acceptance tests of t log at TRACE, Terraform's logs
// and the provider's, into a file, and returns what reads it back. The
// harness's own entries that print the test configuration are left out:
// they hold the configured secrets as literals by design.
func TraceLog(t *testing.T) func() string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_ACC_LOG_PATH", file)
	t.Setenv("TF_ACC_LOG", "TRACE")
	t.Setenv("TF_LOG", "TRACE")
	return func() string {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return withoutHarnessConfig(string(b))
	}
}

// ExpectNoSecretInTraceLog checks that the trace log text holds the
// provider's logging of its requests to path (or a test would pass by
// seeing nothing) and none of the secrets.
func ExpectNoSecretInTraceLog(t *testing.T, text, path string, secrets ...string) {
	t.Helper()
	for _, want := range []string{"Bifrost request", "Bifrost response", path, "ApplyResourceChange"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the trace log (%d bytes) does not contain %q: logging was not captured", len(text), want)
		}
	}
	if err := NoSecretIn(text, secrets...); err != nil {
		t.Fatal(fmt.Errorf("trace log: %w", err))
	}
}

// logEntry starts every entry of the trace log.
var logEntry = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT`)

func withoutHarnessConfig(logs string) string {
	starts := logEntry.FindAllStringIndex(logs, -1)
	var b strings.Builder
	for i, st := range starts {
		end := len(logs)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		entry := logs[st[0]:end]
		if !strings.Contains(entry, "sdk.helper_resource: Setting Terraform configuration") {
			b.WriteString(entry)
		}
	}
	return b.String()
}
