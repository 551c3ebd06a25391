package main

import (
	"os"
	"strings"
	"testing"
)

func runOn(t *testing.T, file string, args ...string) (status int, out, errOut string) {
	t.Helper()
	f, err := os.Open("../../testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var o, e strings.Builder
	status = run(args, f, &o, &e)
	return status, o.String(), e.String()
}

// TestRun: the exit status is what make test relies on (with pipefail) to
// fail when a test or a build failed.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		file   string
		status int
		want   string
	}{
		{"mixed.jsonl", 1, "== FAIL\n"},
		{"oldgo-buildfail.txt", 1, "== FAIL\n"},
		{"passing.jsonl", 0, "== PASS\n"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			status, out, errOut := runOn(t, tc.file, "-title", "acceptance tests, emulator as Bifrost v2.2.6")
			if status != tc.status {
				t.Errorf("exit status %d, want %d", status, tc.status)
			}
			if !strings.Contains(out, "== Summary: acceptance tests, emulator as Bifrost v2.2.6\n") || !strings.HasSuffix(out, tc.want) {
				t.Errorf("output does not end with the titled summary and %q:\n%s", tc.want, out)
			}
			if errOut != "" {
				t.Errorf("unexpected stderr: %s", errOut)
			}
		})
	}
}

func TestRun_usage(t *testing.T) {
	if status, _, errOut := runOn(t, "passing.jsonl", "extra-argument"); status != 2 || !strings.Contains(errOut, "unexpected arguments") {
		t.Errorf("status %d, stderr %q: want 2 and a usage error", status, errOut)
	}
	if status, _, _ := runOn(t, "passing.jsonl", "-nosuchflag"); status != 2 {
		t.Errorf("status %d for an unknown flag, want 2", status)
	}
}
