// Command testsummary reads `go test -json` (stdout and stderr merged) on
// its standard input, prints go test's usual output for packages and
// failures, then a summary of the tests that passed, failed and were
// skipped, the skipped ones grouped by reason. It exits with status 1 when a
// test, a package or a build failed, or the go command printed an error.
//
// Usage (what `make test` runs):
//
//	go test -json ./... 2>&1 | go run ./internal/testsummary/cmd/testsummary -title "all tests"
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/maximhq/terraform-provider-bifrost/internal/testsummary"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the command: its exit status for args and the stream in.
func run(args []string, in io.Reader, out, errOut io.Writer) int {
	fs := flag.NewFlagSet("testsummary", flag.ContinueOnError)
	fs.SetOutput(errOut)
	title := fs.String("title", "", "what the tests were, shown in the summary's heading")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(errOut, "testsummary: unexpected arguments %q (it reads go test -json on its standard input)\n", fs.Args())
		return 2
	}
	report, err := testsummary.Process(in, out)
	if err != nil {
		fmt.Fprintf(errOut, "testsummary: %v\n", err)
		return 2
	}
	if err := report.WriteSummary(out, *title); err != nil {
		fmt.Fprintf(errOut, "testsummary: %v\n", err)
		return 2
	}
	if !report.OK() {
		return 1
	}
	return 0
}
