// Command bifrost-bench is the benchmark behind `make bench`: it measures
// Terraform's create, plan, update and destroy of N bifrost_provider_key
// resources against the Bifrost emulator (or a real Bifrost when
// BIFROST_ENDPOINT is set), compares them with four floors measured in the
// same run (the terraform floor: terraform_data resources of the key's
// shape; the server floor: the minimal requests made directly with the
// client; the protocol floor: a raw plugin-protocol provider of the same
// schema that does nothing; the framework floor: a terraform-plugin-framework
// provider of the same schema that does nothing, whose provider CPU time is
// the target of ours), prints a table and writes the figures to a JSON file.
// The emulator refuses writes with "database is locked" the more often the
// more writes are in flight, as a Bifrost on SQLite does (-locks); the table
// shows the lock answers of each phase and whether the server held exactly
// the keys of Terraform's state after it. Then it measures the same four
// phases over N bifrost_virtual_key resources (-vk) against the server
// floor alone, with the requests by method and path.
//
// Usage (from the repository):
//
//	go run ./internal/bench/cmd/bifrost-bench [-n 100,500,2000] [-vk 100,500] [-latency 2ms] [-locks on] [-parallelism 10] [-backend http] [-ours-only] [-out bench/results]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/maximhq/terraform-provider-bifrost/internal/bench"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

func main() {
	// Terraform starts this executable as the null provider of the
	// protocol floor, or as the provider wrapper, which measures the peak
	// memory and CPU time of its child: our provider, or this executable
	// again, without the wrapper's variables, serving the framework floor.
	// The order matters: the wrapper's variables are set on every Terraform
	// command.
	if bench.ServeNullProviderIfAsked() {
		return
	}
	if code, wrapped := bench.RunWrapperIfAsked(); wrapped {
		os.Exit(code)
	}
	if bench.ServeFrameworkFloorIfAsked() {
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bifrost-bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		ns, vks, providers, out, locks string
		opts                           bench.Options
	)
	flag.StringVar(&ns, "n", "100,500,2000", "comma-separated numbers of keys")
	flag.StringVar(&vks, "vk", "100,500",
		"comma-separated numbers of virtual keys (bifrost_virtual_key, one budget and one provider config each), measured after the keys "+
			"against the server floor alone (also with -ours-only); \"\" for none")
	flag.StringVar(&providers, "providers", "openai,anthropic,mistral,groq,cohere",
		"comma-separated Bifrost providers the keys are spread over (on a real server they must exist)")
	flag.DurationVar(&opts.Latency, "latency", 2*time.Millisecond, "latency the emulator adds to every request (ignored with BIFROST_ENDPOINT)")
	flag.StringVar(&locks, "locks", "on",
		"the emulator's load-dependent \"database is locked\" answers: on ("+emulator.DefaultLoadLocks.String()+
			"), off (for the floors alone), or name=value pairs among free, slope, max, seed, hold, busy changing those (e.g. hold=0s: writes cost the store nothing; ignored with BIFROST_ENDPOINT)")
	flag.IntVar(&opts.Parallelism, "parallelism", 10, "terraform -parallelism, and the server floor's concurrency")
	flag.IntVar(&opts.Repeat, "repeat", 1, "measure each N this many times and keep, for each phase, the shortest wall time of ours and of each floor")
	flag.StringVar(&opts.Backend, "backend", bench.BackendHTTP,
		"state backend of the workspaces: http (an in-process server, as a remote backend) or local (terraform.tfstate, O(N²) in Terraform)")
	flag.BoolVar(&opts.OursOnly, "ours-only", false, "measure the phases with our provider alone, without the floors (to compare two builds in alternating runs)")
	flag.StringVar(&out, "out", "bench/results", "folder of the JSON results file, relative to the repository")
	flag.BoolVar(&opts.Keep, "keep", false, "keep the work folder (workspaces and Terraform logs)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: bifrost-bench [flags]\n\n"+
			"Benchmarks the provider against the emulator, or against the Bifrost at BIFROST_ENDPOINT when set\n"+
			"(credentials from BIFROST_USERNAME/BIFROST_PASSWORD, BIFROST_TOKEN, BIFROST_SETUP_TOKEN),\n"+
			"next to four floors measured in the same run:\n"+
			"  terraform floor  the same phases over terraform_data resources of the key's shape (Terraform's own cost)\n"+
			"  server floor     the phases' minimal requests made directly with the client (the server's cost)\n"+
			"  protocol floor   the keys served by a raw plugin-protocol provider of the same schema that does nothing\n"+
			"  framework floor  the keys served by a terraform-plugin-framework provider of the same schema, without\n"+
			"                   validators, plan modifiers or defaults, that does nothing (the target of the provider CPU)\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flag.Args())
	}
	for _, s := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-n: %q is not a positive number of keys", s)
		}
		opts.Ns = append(opts.Ns, n)
	}
	if strings.TrimSpace(vks) != "" {
		for _, s := range strings.Split(vks, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 {
				return fmt.Errorf("-vk: %q is not a positive number of virtual keys", s)
			}
			opts.VKNs = append(opts.VKNs, n)
		}
	}
	for _, p := range strings.Split(providers, ",") {
		if p = strings.TrimSpace(p); p != "" {
			opts.Providers = append(opts.Providers, p)
		}
	}
	var err error
	if opts.Locks, err = emulator.ParseLoadLocks(locks); err != nil {
		return fmt.Errorf("-locks: %w", err)
	}
	opts.Endpoint = os.Getenv("BIFROST_ENDPOINT")
	opts.Log = os.Stderr
	root, err := repoRoot()
	if err != nil {
		return err
	}
	opts.RepoRoot = root

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := bench.Run(ctx, opts)
	if err != nil {
		return err
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(root, out)
	}
	file, err := rep.WriteJSON(out)
	if err != nil {
		return err
	}
	target := rep.Target
	if rep.Locks != "" {
		target += ", locks " + rep.Locks
	}
	fmt.Printf("\nbifrost-bench: %s, latency %gms, -parallelism=%d, %s backend, %d providers, terraform %s, %s, %d CPUs, best of %d\n\n",
		target, rep.LatencyMS, rep.Parallelism, rep.Backend, len(rep.Providers), rep.Terraform, rep.Go, rep.CPUs, rep.Repeat)
	if err := bench.WriteTable(os.Stdout, rep.Rows); err != nil {
		return err
	}
	if rep.Busy() {
		fmt.Printf("\nWARNING: the machine was busy (1-minute load %s at the start, %s at the end, on %d CPUs):\n"+
			"wall times and ratios are inflated; the CPU columns are not.\n", load(rep.LoadStart), load(rep.LoadEnd), rep.CPUs)
	}
	fmt.Printf("\ncheck = after the phase the server held exactly the keys of Terraform's state and configuration;\n"+
		"locks = answers \"database is locked\" / write requests (retries included), lock %% their share; peak writes = most writes in flight;\n"+
		"ratio = ours / (terraform floor + server floor); proto ratio = ours / (protocol floor + server floor);\n"+
		"fw floor = framework floor; prov CPU = our provider processes' CPU time, fw floor prov CPU = the framework floor's;\n"+
		"req ratio = requests / min (virtual keys: min = N POST; 1 list for plan; 1 list + N GET + N PUT for update; 1 list + N DELETE for destroy);\n"+
		"virtual key ratio = ours / server floor; results: %s\n", file)
	return nil
}

func load(l *float64) string {
	if l == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*l, 'f', 1, 64)
}

// repoRoot is the folder of the go.mod of the current module.
func repoRoot() (string, error) {
	b, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(b))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("run bifrost-bench inside the provider's repository (no go.mod found)")
	}
	return filepath.Dir(gomod), nil
}
