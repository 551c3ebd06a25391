package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// terraformCLI runs the Terraform CLI in the benchmark's workspaces.
type terraformCLI struct {
	bin         string
	env         []string
	parallelism int
}

// phaseArgs are the Terraform arguments of a phase. Every command gets the
// same explicit -parallelism.
func phaseArgs(p Phase, parallelism int) []string {
	var args []string
	switch p {
	case PhasePlan:
		// Exit code 0: no changes; 2: changes (an error for this phase).
		args = []string{"plan", "-detailed-exitcode"}
	case PhaseDestroy:
		args = []string{"destroy", "-auto-approve"}
	default:
		args = []string{"apply", "-auto-approve"}
	}
	return append(args, "-input=false", "-no-color", "-parallelism="+strconv.Itoa(parallelism))
}

// phaseSummary matches what Terraform prints when a phase over n resources
// did what it should; a phase whose output does not match fails.
func phaseSummary(p Phase, n int) *regexp.Regexp {
	var s string
	switch p {
	case PhaseCreate:
		s = fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", n)
	case PhasePlan:
		s = "No changes."
	case PhaseUpdate:
		s = fmt.Sprintf("Apply complete! Resources: 0 added, %d changed, 0 destroyed.", n)
	case PhaseDestroy:
		s = fmt.Sprintf("Destroy complete! Resources: %d destroyed.", n)
	}
	return regexp.MustCompile(regexp.QuoteMeta(s))
}

// run runs a phase in dir and returns its wall time and the CPU time of the
// whole process tree (Terraform and the providers it started). The output
// goes to <dir>/<phase>.log; extraEnv is added to the environment.
func (t *terraformCLI) run(ctx context.Context, dir string, p Phase, n int, extraEnv ...string) (wall, cpu time.Duration, err error) {
	logFile := filepath.Join(dir, string(p)+".log")
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, t.bin, phaseArgs(p, t.parallelism)...) //nolint:gosec // terraform from the PATH
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, t.env...), extraEnv...)
	cmd.Stdout, cmd.Stderr = &out, &out
	// On cancellation, let Terraform stop its providers and save its state.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	if werr := os.WriteFile(logFile, out.Bytes(), 0o600); werr != nil {
		return 0, 0, werr
	}
	var exitErr *exec.ExitError
	switch {
	case p == PhasePlan && errors.As(err, &exitErr) && exitErr.ExitCode() == 2:
		return 0, 0, fmt.Errorf("terraform plan found changes after an apply (expected none); see %s:\n%s", logFile, tail(out.String(), 40))
	case err != nil:
		return 0, 0, fmt.Errorf("terraform %s: %w; see %s:\n%s", strings.Join(phaseArgs(p, t.parallelism), " "), err, logFile, tail(out.String(), 40))
	case !phaseSummary(p, n).Match(out.Bytes()):
		return 0, 0, fmt.Errorf("terraform %s did not print %q; see %s:\n%s", p, phaseSummary(p, n), logFile, tail(out.String(), 40))
	}
	// On Linux wait4 counts the children Terraform waited for (the
	// providers) in its CPU time.
	return wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// command runs an untimed Terraform command in dir (init, validate).
func (t *terraformCLI) command(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, t.bin, args...) //nolint:gosec // terraform from the PATH
	cmd.Dir, cmd.Env = dir, t.env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("terraform %s in %s: %w:\n%s", strings.Join(args, " "), dir, err, tail(string(out), 40))
	}
	return nil
}

// version returns the CLI's version, e.g. "1.11.4".
func (t *terraformCLI) version(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, t.bin, "version", "-json") //nolint:gosec // terraform from the PATH
	cmd.Env = t.env
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("terraform version: %w", err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return "", fmt.Errorf("terraform version -json: %w", err)
	}
	return v.Version, nil
}

// terraformEnv is the environment of every Terraform command: this
// process's, without any TF_* or CHECKPOINT_* setting (logs, CLI arguments
// or a CLI configuration of the user's would change what is measured) and,
// against the emulator, without the BIFROST_* settings meant for another
// server; then set.
func terraformEnv(environ []string, dropBifrost bool, set ...string) []string {
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CHECKPOINT_") ||
			strings.HasPrefix(name, "BIFROST_BENCH_") || (dropBifrost && strings.HasPrefix(name, "BIFROST_")) {
			continue
		}
		env = append(env, kv)
	}
	return append(env, set...)
}

// devOverrides is a Terraform CLI configuration that takes the bifrost
// provider from dir, so that no `terraform init` is needed.
func devOverrides(dir string) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "maximhq/bifrost" = %q
  }
  direct {}
}
`, dir)
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}
