package testsummary

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// testdata/mixed.jsonl is the recorded `go test -json ./...` (Go 1.26) of a
// module with five packages: good (passing, skipped with and without
// reasons, a skipped subtest, a multi-line skip message), bad (a failed
// subtest, a skip), broken (a compile error), panics (a test that panics)
// and notests (no test files). passing.jsonl is its good and notests
// packages only. oldgo-buildfail.txt is a passing package and a build
// failure as Go < 1.24 reported it: the compiler's errors as plain lines.

func process(t *testing.T, file string) (*Report, string) {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	r, err := Process(f, &out)
	if err != nil {
		t.Fatal(err)
	}
	return r, out.String()
}

func summary(t *testing.T, r *Report, title string) string {
	t.Helper()
	var b strings.Builder
	if err := r.WriteSummary(&b, title); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func containsAll(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, text)
		}
	}
}

func containsNone(t *testing.T, what, text string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("%s contains %q:\n%s", what, u, text)
		}
	}
}

func TestProcess_mixed(t *testing.T) {
	r, out := process(t, "mixed.jsonl")

	if r.OK() {
		t.Error("OK() for a stream with failed tests and a failed build")
	}
	if r.PackagesOK != 1 || r.PackagesFailed != 3 || r.PackagesNoTests != 1 {
		t.Errorf("packages: %d ok, %d failed, %d without tests; want 1, 3, 1", r.PackagesOK, r.PackagesFailed, r.PackagesNoTests)
	}
	if r.Passed != 4 || r.Failed != 3 || r.Skipped != 6 {
		t.Errorf("tests: %d passed, %d failed, %d skipped; want 4, 3, 6", r.Passed, r.Failed, r.Skipped)
	}
	wantFailed := []string{"example.com/tsmod/bad TestFails/sub", "example.com/tsmod/bad TestFails", "example.com/tsmod/panics TestPanic"}
	if !reflect.DeepEqual(r.FailedTests, wantFailed) {
		t.Errorf("failed tests %q, want %q", r.FailedTests, wantFailed)
	}
	if want := []string{"example.com/tsmod/broken [example.com/tsmod/broken.test]"}; !reflect.DeepEqual(r.BuildFailures, want) {
		t.Errorf("build failures %q, want %q", r.BuildFailures, want)
	}
	wantSkips := map[string][]string{
		"Terraform CLI version 1.11.4 is below minimum version 1.12.0: skipping test": {"example.com/tsmod/good TestSkipTF", "example.com/tsmod/good TestSkipTF2"},
		"acceptance test: set TF_ACC=1":                                               {"example.com/tsmod/bad TestSkipped"},
		"needs a Bifrost 2 server (v1.5.1)":                                           {"example.com/tsmod/good TestSub/b"},
		NoReason:                                                                      {"example.com/tsmod/good TestNoReason"},
		"first line second line":                                                      {"example.com/tsmod/good TestMultiline"},
	}
	if !reflect.DeepEqual(r.Skips, wantSkips) {
		t.Errorf("skips by reason:\n%q\nwant\n%q", r.Skips, wantSkips)
	}

	// What go test prints for packages and failures...
	containsAll(t, "the output", out,
		"ok  \texample.com/tsmod/good\t0.004s\n",
		"?   \texample.com/tsmod/notests\t[no test files]\n",
		"FAIL\texample.com/tsmod/bad\t0.002s\n",
		"--- FAIL: TestFails/sub (0.00s)\n",
		"    bad_test.go:9: want 1, got 2\n",
		"# example.com/tsmod/broken [example.com/tsmod/broken.test]\n",
		`broken/broken_test.go:5:40: cannot use "s" (untyped string constant) as int value`,
		"FAIL\texample.com/tsmod/broken [build failed]\n",
		"panic: assignment to entry in nil map",
		"/tmp/tsmod/panics/p_test.go:5",
		"FAIL\texample.com/tsmod/panics\t0.005s\n",
	)
	// ...not the output of tests that passed or skipped.
	containsNone(t, "the output", out, "noisy passing output", "some log first", "=== RUN   TestPass", "--- PASS", "--- SKIP", "set TF_ACC=1")
	// A failed test's output comes before its package's FAIL line.
	if i, j := strings.Index(out, "want 1, got 2"), strings.Index(out, "FAIL\texample.com/tsmod/bad"); i < 0 || j < i {
		t.Errorf("the failure is not printed before its package's FAIL line:\n%s", out)
	}

	s := summary(t, r, "unit tests")
	containsAll(t, "the summary", s,
		"== Summary: unit tests\n",
		"packages: 1 ok, 3 failed, 1 without tests\n",
		"tests:    4 passed, 3 failed, 6 skipped",
		"     2  Terraform CLI version 1.11.4 is below minimum version 1.12.0: skipping test\n          good: TestSkipTF\n          good: TestSkipTF2\n",
		"     1  needs a Bifrost 2 server (v1.5.1)\n          good: TestSub/b\n",
		"     1  (no reason given)\n          good: TestNoReason\n",
		"failed tests:\n        bad: TestFails/sub\n        bad: TestFails\n        panics: TestPanic\n",
		"failed builds:\n        example.com/tsmod/broken [example.com/tsmod/broken.test]\n",
		"== FAIL\n",
	)
	// The most frequent reason first.
	if i, j := strings.Index(s, "Terraform CLI version"), strings.Index(s, "needs a Bifrost 2 server"); i < 0 || j < i {
		t.Errorf("reasons are not sorted by count:\n%s", s)
	}
}

func TestProcess_passing(t *testing.T) {
	r, out := process(t, "passing.jsonl")
	if !r.OK() {
		t.Errorf("not OK() for a passing stream: %+v", r)
	}
	if r.Passed != 3 || r.Failed != 0 || r.Skipped != 5 || r.PackagesOK != 1 || r.PackagesNoTests != 1 {
		t.Errorf("report %+v", r)
	}
	if want := "ok  \texample.com/tsmod/good\t0.004s\n?   \texample.com/tsmod/notests\t[no test files]\n"; out != want {
		t.Errorf("output of a passing run:\n%q\nwant only the packages' lines:\n%q", out, want)
	}
	s := summary(t, r, "")
	containsAll(t, "the summary", s, "== Summary\n", "tests:    3 passed, 0 failed, 5 skipped", "skipped, by reason:", "== PASS\n")
	containsNone(t, "the summary", s, "failed tests:", "failed builds:", "== FAIL")
}

// TestProcess_oldGoBuildFailure: compiler errors as plain lines (Go < 1.24)
// are shown and fail the run; "go: downloading" lines are harmless.
func TestProcess_oldGoBuildFailure(t *testing.T) {
	r, out := process(t, "oldgo-buildfail.txt")
	if r.OK() {
		t.Error("OK() for a stream with a build failure")
	}
	if r.Unrecognised != 2 {
		t.Errorf("%d unrecognised lines, want 2 (the compiler's; go: downloading is harmless)", r.Unrecognised)
	}
	if r.PackagesOK != 1 || r.PackagesFailed != 1 || r.Passed != 1 {
		t.Errorf("report %+v", r)
	}
	containsAll(t, "the output", out,
		"go: downloading github.com/google/uuid v1.6.0\n",
		"# example.com/tsmod/broken [example.com/tsmod/broken.test]\n",
		"broken/broken_test.go:5:40: cannot use",
		"FAIL\texample.com/tsmod/broken [build failed]\n",
	)
	containsAll(t, "the summary", summary(t, r, ""), "lines that are not go test -json events", ": 2\n", "== FAIL\n")
}

func TestProcess_goCommandError(t *testing.T) {
	var out strings.Builder
	r, err := Process(strings.NewReader("go: errors parsing go.mod:\ngo.mod:3: unknown directive: bogus\n"), &out)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() {
		t.Error("OK() when the go command failed before running anything")
	}
	containsAll(t, "the output", out.String(), "go: errors parsing go.mod:\n", "unknown directive: bogus\n")
	containsAll(t, "the summary", summary(t, r, ""), "no package reported a result", "== FAIL")
}

func TestProcess_empty(t *testing.T) {
	var out strings.Builder
	r, err := Process(strings.NewReader(""), &out)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() {
		t.Error("OK() for an empty stream: nothing ran")
	}
}

// TestProcess_cutShort: a stream that ends inside a package (go test
// killed) fails that package and shows the output of its running test.
func TestProcess_cutShort(t *testing.T) {
	stream := `{"Action":"start","Package":"example.com/m/slow"}
{"Action":"run","Package":"example.com/m/slow","Test":"TestDone"}
{"Action":"pass","Package":"example.com/m/slow","Test":"TestDone"}
{"Action":"run","Package":"example.com/m/slow","Test":"TestHangs"}
{"Action":"output","Package":"example.com/m/slow","Test":"TestHangs","Output":"=== RUN   TestHangs\n"}
{"Action":"output","Package":"example.com/m/slow","Test":"TestHangs","Output":"    slow_test.go:7: waiting for the server\n"}
`
	var out strings.Builder
	r, err := Process(strings.NewReader(stream), &out)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || r.PackagesFailed != 1 || r.Failed != 1 || r.Passed != 1 {
		t.Errorf("report %+v: want the package and its running test failed", r)
	}
	containsAll(t, "the output", out.String(), "waiting for the server", "FAIL\texample.com/m/slow [no result")
}

func TestSkipReason(t *testing.T) {
	for _, tc := range []struct{ output, want string }{
		{"=== RUN   TestX\n    x_test.go:3: why\n--- SKIP: TestX (0.00s)\n", "why"},
		{"=== RUN   TestX\n    x_test.go:3: first log\n    x_test.go:4: the reason\n--- SKIP: TestX (0.00s)\n", "the reason"},
		{"=== RUN   TestX/sub\n    testing_new.go:58: Terraform CLI version 1.11.4 is below minimum version 1.14.0: skipping test\n    --- SKIP: TestX/sub (0.00s)\n",
			"Terraform CLI version 1.11.4 is below minimum version 1.14.0: skipping test"},
		{"=== RUN   TestX\n    x_test.go:3: two\n        lines\n--- SKIP: TestX (0.00s)\n", "two lines"},
		{"=== RUN   TestX\n--- SKIP: TestX (0.00s)\n", NoReason},
		{"=== RUN   TestX\n    x_test.go:3: \n--- SKIP: TestX (0.00s)\n", NoReason},
		{"", NoReason},
	} {
		if got := SkipReason(tc.output); got != tc.want {
			t.Errorf("SkipReason(%q) = %q, want %q", tc.output, got, tc.want)
		}
	}
}
