// Package testsummary reads the event stream of `go test -json` and prints
// what a plain `go test` prints for the packages (their ok, FAIL and
// "no test files" lines) and for failures (the full output of each failed
// test, build errors, panics), without the output of passing tests; then a
// summary: how many tests passed, failed and were skipped, with the skipped
// tests grouped by the reason they gave.
//
// `make test` pipes go test into it (cmd/testsummary), so that the tests
// skipped by a version gate (an older Terraform CLI, a Bifrost version) are
// listed instead of passing silently.
package testsummary

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json), including the
// build events of Go ≥ 1.24 (build-output, build-fail, keyed by ImportPath).
type event struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string
	FailedBuild string
}

// NoReason is the reason shown for a test skipped without a message
// (t.SkipNow).
const NoReason = "(no reason given)"

// Report is what a stream held.
type Report struct {
	// Packages by outcome: ok, failed (tests, build or setup), without
	// test files.
	PackagesOK, PackagesFailed, PackagesNoTests int
	// Tests by outcome, subtests included.
	Passed, Failed, Skipped int
	// FailedTests are the failed tests, "package TestName", in order.
	FailedTests []string
	// BuildFailures are the packages (import paths) that did not build.
	BuildFailures []string
	// Skips maps each skip reason to the tests, "package TestName", that
	// gave it.
	Skips map[string][]string
	// Unrecognised counts the lines that are not events of go test -json
	// and not known to be harmless (go: downloading ...): errors of the go
	// command itself, or build output of an older Go.
	Unrecognised int
}

// OK reports whether everything that ran passed: a test or package failed,
// a build failed, the go command printed an error, or no package reported
// at all make it false.
func (r *Report) OK() bool {
	return r.Failed == 0 && r.PackagesFailed == 0 && len(r.BuildFailures) == 0 && r.Unrecognised == 0 &&
		r.PackagesOK+r.PackagesFailed+r.PackagesNoTests > 0
}

type testState struct {
	pkg, name string
	out       strings.Builder
	done      bool
}

type processor struct {
	w       io.Writer
	report  *Report
	tests   map[[2]string]*testState
	order   []*testState                // tests in order of their first event
	pkgOut  map[string]*strings.Builder // packages that have not ended
	ended   map[string]bool
	builds  map[string]bool
	written error
}

// harmless are the prefixes of lines the go command writes to stderr in a
// successful run.
var harmless = []string{"go: downloading ", "go: finding ", "go: extracting "}

// Process reads a go test -json stream (stdout and stderr of go test, merged)
// from r, writes go test's usual output for packages and failures to w as it
// goes, and returns what the stream held.
func Process(r io.Reader, w io.Writer) (*Report, error) {
	p := &processor{
		w:      w,
		report: &Report{Skips: map[string][]string{}},
		tests:  map[[2]string]*testState{},
		pkgOut: map[string]*strings.Builder{},
		ended:  map[string]bool{},
		builds: map[string]bool{},
	}
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			p.line(line)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return p.report, err
		}
	}
	p.unfinished()
	return p.report, p.written
}

// unfinished fails the packages the stream left without a verdict (go test
// killed, or its output cut short).
func (p *processor) unfinished() {
	var pkgs []string
	for pkg := range p.pkgOut {
		pkgs = append(pkgs, pkg)
	}
	slices.Sort(pkgs)
	for _, pkg := range pkgs {
		p.report.PackagesFailed++
		p.finishTests(pkg, true)
		p.print(p.pkgOut[pkg].String())
		p.print("FAIL\t" + pkg + " [no result: the go test output ended before the package did]\n")
	}
}

// pkg is the package-level output of a package that has not ended.
func (p *processor) pkg(name string) *strings.Builder {
	out := p.pkgOut[name]
	if out == nil {
		out = &strings.Builder{}
		p.pkgOut[name] = out
	}
	return out
}

func (p *processor) print(s string) {
	if p.written == nil {
		_, p.written = io.WriteString(p.w, s)
	}
}

func (p *processor) line(line []byte) {
	var e event
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 {
		return
	}
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &e) != nil || e.Action == "" {
		// Not an event: an error of the go command (or the build output
		// of a Go older than 1.24). Shown as is.
		text := strings.TrimRight(string(line), "\n") + "\n"
		p.print(text)
		for _, h := range harmless {
			if strings.HasPrefix(text, h) {
				return
			}
		}
		p.report.Unrecognised++
		return
	}
	switch {
	case e.Action == "build-output":
		p.print(e.Output)
	case e.Action == "build-fail":
		p.buildFailed(e.ImportPath)
	case e.Test != "":
		p.testEvent(e)
	case e.Package != "":
		p.packageEvent(e)
	}
}

func (p *processor) buildFailed(importPath string) {
	if importPath == "" || p.builds[importPath] {
		return
	}
	p.builds[importPath] = true
	p.report.BuildFailures = append(p.report.BuildFailures, importPath)
}

func (p *processor) test(pkg, name string) *testState {
	k := [2]string{pkg, name}
	t := p.tests[k]
	if t == nil {
		t = &testState{pkg: pkg, name: name}
		p.tests[k] = t
		p.order = append(p.order, t)
	}
	return t
}

func (p *processor) testEvent(e event) {
	if !p.ended[e.Package] {
		p.pkg(e.Package)
	}
	t := p.test(e.Package, e.Test)
	switch e.Action {
	case "output":
		if t.done {
			// Late output of a finished test (a parallel subtest's, or
			// a panic after the verdict): shown when the test failed.
			if slices.Contains(p.report.FailedTests, t.pkg+" "+t.name) {
				p.print(e.Output)
			}
			return
		}
		t.out.WriteString(e.Output)
	case "pass":
		t.done = true
		p.report.Passed++
		t.out.Reset()
	case "fail":
		p.testFailed(t)
	case "skip":
		t.done = true
		p.report.Skipped++
		reason := SkipReason(t.out.String())
		p.report.Skips[reason] = append(p.report.Skips[reason], t.pkg+" "+t.name)
		t.out.Reset()
	}
}

func (p *processor) testFailed(t *testState) {
	t.done = true
	p.report.Failed++
	p.report.FailedTests = append(p.report.FailedTests, t.pkg+" "+t.name)
	p.print(t.out.String())
	t.out.Reset()
}

func (p *processor) packageEvent(e event) {
	out := p.pkg(e.Package)
	switch e.Action {
	case "output":
		out.WriteString(e.Output)
	case "pass":
		p.report.PackagesOK++
		p.printLines(out.String(), "ok ")
		p.finishTests(e.Package, false)
	case "skip":
		p.report.PackagesNoTests++
		p.printLines(out.String(), "? ", "ok ")
		p.finishTests(e.Package, false)
	case "fail":
		p.report.PackagesFailed++
		if e.FailedBuild != "" {
			p.buildFailed(e.FailedBuild)
		}
		// Tests the package's end cut short (a panic, a timeout) failed.
		p.finishTests(e.Package, true)
		p.print(out.String())
	}
	if e.Action == "pass" || e.Action == "skip" || e.Action == "fail" {
		delete(p.pkgOut, e.Package)
		p.ended[e.Package] = true
	}
}

// finishTests settles the tests of pkg that got no verdict.
func (p *processor) finishTests(pkg string, failed bool) {
	for _, t := range p.order {
		if t.pkg != pkg || t.done {
			continue
		}
		if failed {
			p.testFailed(t)
		} else {
			t.done = true
		}
	}
}

// printLines prints the lines of out that start with one of the prefixes.
func (p *processor) printLines(out string, prefixes ...string) {
	for l := range strings.Lines(out) {
		for _, pre := range prefixes {
			if strings.HasPrefix(l, pre) {
				p.print(l)
				break
			}
		}
	}
}

// logLine is the start of a t.Log/t.Skip line in a test's output: indented
// "file.go:line: message".
var logLine = regexp.MustCompile(`^\s+[^\s:]+\.go:\d+: (.*)$`)

// SkipReason is the message a skipped test gave, from its output: the last
// thing it logged before "--- SKIP" (t.Skip logs its arguments), its lines
// joined by spaces; NoReason when it logged nothing.
func SkipReason(output string) string {
	var entries [][]string
	for l := range strings.Lines(output) {
		l = strings.TrimRight(l, "\r\n")
		switch trimmed := strings.TrimSpace(l); {
		case trimmed == "", strings.HasPrefix(trimmed, "=== "), strings.HasPrefix(trimmed, "--- "):
			continue
		case logLine.MatchString(l):
			entries = append(entries, []string{strings.TrimSpace(logLine.FindStringSubmatch(l)[1])})
		case len(entries) > 0:
			// A continuation line of a multi-line message.
			last := len(entries) - 1
			entries[last] = append(entries[last], trimmed)
		}
	}
	if len(entries) == 0 {
		return NoReason
	}
	if reason := strings.TrimSpace(strings.Join(entries[len(entries)-1], " ")); reason != "" {
		return reason
	}
	return NoReason
}

// WriteSummary writes the summary of the report under title.
func (r *Report) WriteSummary(w io.Writer, title string) error {
	var b strings.Builder
	b.WriteString("\n== Summary")
	if title != "" {
		b.WriteString(": " + title)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "packages: %d ok, %d failed, %d without tests\n", r.PackagesOK, r.PackagesFailed, r.PackagesNoTests)
	fmt.Fprintf(&b, "tests:    %d passed, %d failed, %d skipped (subtests included)\n", r.Passed, r.Failed, r.Skipped)
	short := shortener(r)
	if r.Skipped > 0 {
		b.WriteString("skipped, by reason:\n")
		reasons := make([]string, 0, len(r.Skips))
		for reason := range r.Skips {
			reasons = append(reasons, reason)
		}
		slices.SortFunc(reasons, func(a, c string) int {
			if n := len(r.Skips[c]) - len(r.Skips[a]); n != 0 {
				return n
			}
			return strings.Compare(a, c)
		})
		for _, reason := range reasons {
			fmt.Fprintf(&b, "  %4d  %s\n", len(r.Skips[reason]), reason)
			tests := slices.Clone(r.Skips[reason])
			slices.Sort(tests)
			for _, t := range tests {
				fmt.Fprintf(&b, "          %s\n", short(t))
			}
		}
	}
	if len(r.FailedTests) > 0 {
		b.WriteString("failed tests:\n")
		for _, t := range r.FailedTests {
			fmt.Fprintf(&b, "        %s\n", short(t))
		}
	}
	if len(r.BuildFailures) > 0 {
		b.WriteString("failed builds:\n")
		for _, p := range r.BuildFailures {
			fmt.Fprintf(&b, "        %s\n", p)
		}
	}
	if r.Unrecognised > 0 {
		fmt.Fprintf(&b, "lines that are not go test -json events (errors of the go command, shown above): %d\n", r.Unrecognised)
	}
	if r.PackagesOK+r.PackagesFailed+r.PackagesNoTests == 0 {
		b.WriteString("no package reported a result\n")
	}
	if r.OK() {
		b.WriteString("== PASS\n")
	} else {
		b.WriteString("== FAIL\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shortener returns a function that shows "package TestName" with the
// package path relative to the packages' common prefix (the module path),
// as "dir/pkg: TestName".
func shortener(r *Report) func(string) string {
	var pkgs []string
	add := func(ts []string) {
		for _, t := range ts {
			pkg, _, _ := strings.Cut(t, " ")
			pkgs = append(pkgs, pkg)
		}
	}
	add(r.FailedTests)
	for _, ts := range r.Skips {
		add(ts)
	}
	prefix := ""
	if len(pkgs) > 0 {
		prefix = pkgs[0]
		for _, p := range pkgs[1:] {
			for !strings.HasPrefix(p, prefix) {
				prefix = prefix[:len(prefix)-1]
			}
		}
		// Cut at a path boundary, keeping at least the last element.
		prefix = prefix[:strings.LastIndex(prefix, "/")+1]
	}
	return func(t string) string {
		pkg, name, _ := strings.Cut(t, " ")
		return strings.TrimPrefix(pkg, prefix) + ": " + name
	}
}
