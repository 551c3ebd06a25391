package bench

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The wrapper's environment: Terraform passes its own environment to the
// provider processes it starts, so the benchmark sets these on the
// Terraform command.
const (
	// envWrapProvider is the path of the real provider binary.
	envWrapProvider = "BIFROST_BENCH_PROVIDER"
	// envWrapUsageDir is the folder where the peak RSS and CPU time of each
	// provider process are written, one file per process.
	envWrapUsageDir = "BIFROST_BENCH_USAGE_DIR"
)

// RunWrapperIfAsked runs the provider wrapper when this process was started
// as one, and reports whether it did, with the exit code to end with.
//
// Peak memory of the provider is measured by a wrapper: the Terraform CLI
// configuration's dev_overrides point at a folder whose
// terraform-provider-bifrost is the benchmark's own executable. Started that
// way (envWrapProvider set), it runs the real provider as its child with the
// same arguments, standard streams and environment (but the wrapper's own
// variables: see childEnv), so the go-plugin handshake and gRPC traffic go
// straight between Terraform and the provider.
// When the child exits, the wrapper writes the child's ru_maxrss (the
// kernel's RSS high-water mark of that process, from wait4) and its CPU
// time to a file in envWrapUsageDir. Unlike polling /proc/<pid>/status,
// this cannot miss a short-lived process or the last moments of a long one.
func RunWrapperIfAsked() (exitCode int, wrapped bool) {
	binary := os.Getenv(envWrapProvider)
	if binary == "" {
		return 0, false
	}
	return runWrapper(binary, os.Getenv(envWrapUsageDir), os.Args[1:]), true
}

func runWrapper(binary, usageDir string, args []string) int {
	// Like a go-plugin server: Terraform handles Ctrl-C and stops its
	// providers itself.
	signal.Ignore(os.Interrupt)
	cmd := exec.Command(binary, args...) //nolint:gosec // the provider binary the benchmark built
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = childEnv(os.Environ())
	cmd.SysProcAttr = childAttr()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bifrost-bench wrapper:", err)
		return 1
	}
	err := cmd.Wait()
	if usageDir != "" {
		u := procUsage{peakRSS: -1, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
		if peak, ok := maxRSS(cmd.ProcessState); ok {
			u.peakRSS = peak
		}
		if werr := writeUsage(usageDir, cmd.ProcessState.Pid(), u); werr != nil {
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

// childEnv is the environment of the wrapper's child: environ without the
// wrapper's variables. The child may be this executable (serving the
// framework floor), which would otherwise start a wrapper again.
func childEnv(environ []string) []string {
	env := make([]string, 0, len(environ))
	for _, kv := range environ {
		if name, _, _ := strings.Cut(kv, "="); name != envWrapProvider && name != envWrapUsageDir {
			env = append(env, kv)
		}
	}
	return env
}

// procUsage is what the wrapper records of one provider process.
type procUsage struct {
	peakRSS int64 // bytes; -1 when not measured
	cpu     time.Duration
}

// writeUsage records the usage of process pid in dir.
func writeUsage(dir string, pid int, u procUsage) error {
	line := fmt.Sprintf("%d %d", u.peakRSS, u.cpu.Nanoseconds())
	return os.WriteFile(filepath.Join(dir, strconv.Itoa(pid)), []byte(line), 0o600) //nolint:gosec // dir is the benchmark's own work folder
}

// readUsage sums up the usages recorded in dir: the largest peak RSS (-1
// when none was measured), the total CPU time and the number of processes.
func readUsage(dir string) (total procUsage, processes int, err error) {
	total.peakRSS = -1
	entries, err := os.ReadDir(dir)
	if err != nil {
		return total, 0, err
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return total, 0, err
		}
		var peak, cpu int64
		if _, err := fmt.Sscanf(string(b), "%d %d", &peak, &cpu); err != nil {
			return total, 0, fmt.Errorf("%s: %w", e.Name(), err)
		}
		total.peakRSS = max(total.peakRSS, peak)
		total.cpu += time.Duration(cpu)
		processes++
	}
	return total, processes, nil
}
