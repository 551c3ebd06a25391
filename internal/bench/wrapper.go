package bench

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
)

// The wrapper's environment: Terraform passes its own environment to the
// provider processes it starts, so the benchmark sets these on the
// Terraform command.
const (
	// envWrapProvider is the path of the real provider binary.
	envWrapProvider = "BIFROST_BENCH_PROVIDER"
	// envWrapRSSDir is the folder where each provider process's peak RSS is
	// written, one file per process.
	envWrapRSSDir = "BIFROST_BENCH_RSS_DIR"
)

// Peak memory of the provider is measured by a wrapper: the Terraform CLI
// configuration's dev_overrides point at a folder whose
// terraform-provider-bifrost is the benchmark's own executable. Started that
// way (envWrapProvider set), it runs the real provider as its child with the
// same arguments, standard streams and environment, so the go-plugin
// handshake and gRPC traffic go straight between Terraform and the provider.
// When the child exits, the wrapper writes the child's ru_maxrss (the
// kernel's RSS high-water mark of that process, taken from wait4) to a file
// in envWrapRSSDir. Unlike polling /proc/<pid>/status, this cannot miss a
// short-lived process or the last moments of a long one.

// RunWrapperIfAsked runs the provider wrapper when this process was started
// as one, and reports whether it did, with the exit code to end with.
func RunWrapperIfAsked() (exitCode int, wrapped bool) {
	binary := os.Getenv(envWrapProvider)
	if binary == "" {
		return 0, false
	}
	return runWrapper(binary, os.Getenv(envWrapRSSDir), os.Args[1:]), true
}

func runWrapper(binary, rssDir string, args []string) int {
	// Like a go-plugin server: Terraform handles Ctrl-C and stops its
	// providers itself.
	signal.Ignore(os.Interrupt)
	cmd := exec.Command(binary, args...) //nolint:gosec // the provider binary the benchmark built
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bifrost-bench wrapper:", err)
		return 1
	}
	err := cmd.Wait()
	if peak, ok := maxRSS(cmd.ProcessState); ok && rssDir != "" {
		file := filepath.Join(rssDir, strconv.Itoa(cmd.ProcessState.Pid()))
		if werr := os.WriteFile(file, []byte(strconv.FormatInt(peak, 10)), 0o600); werr != nil {
			fmt.Fprintln(os.Stderr, "bifrost-bench wrapper:", werr)
		}
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		return exitErr.ExitCode()
	default:
		return 1
	}
}

// readPeaks returns the largest peak RSS written by the wrappers into dir
// and how many processes wrote one.
func readPeaks(dir string) (peak int64, processes int, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return 0, 0, err
		}
		v, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", e.Name(), err)
		}
		peak = max(peak, v)
		processes++
	}
	return peak, processes, nil
}
