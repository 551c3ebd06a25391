// Package bench is the benchmark of the Terraform provider (`make bench`):
// for N keys spread over several Bifrost providers it measures the wall time
// and the HTTP requests of four Terraform phases (create, plan, update,
// destroy) with bifrost_provider_key, and compares them with four floors
// measured in the same run:
//
//   - the terraform floor, Terraform's own cost: the same phases over
//     terraform_data resources of the key's shape;
//   - the server floor, the server's cost: the phases' minimal requests made
//     directly with the project's client at the same concurrency (with the
//     terraform floor, the floor);
//   - the protocol floor: the same keys served by a raw plugin-protocol
//     provider that does nothing (what Terraform costs with any external
//     provider of this schema);
//   - the framework floor: the same keys served by a terraform-plugin-framework
//     provider of the same schema, without validators, plan modifiers or
//     defaults, that does nothing (what the framework costs for this schema,
//     the target of our provider's CPU time).
//
// It also records the peak memory and CPU time of the provider processes,
// ours and the framework floor's.
//
// By default it runs against the in-process emulator with a fixed latency
// per request and, as a Bifrost on SQLite does, refusing writes with
// "database is locked" the more often the more writes are in flight
// (emulator.LoadLocks); it counts the requests, the writes and the lock
// answers of each phase of ours and of the server floor. After each phase of
// ours it checks that the server holds exactly the keys of Terraform's state
// and configuration (see Check), and fails if it does not. With an endpoint
// it runs against a real Bifrost, where requests are not counted.
//
// Then, in the same session, it measures the same four phases over N
// bifrost_virtual_key resources (Options.VKNs; one budget and one provider
// config each), against the server floor alone, with the requests of each
// phase by method and path next to their minimum (MinVirtualKeyRequests: a
// plan reads every virtual key from one list).
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// Options configures a run.
type Options struct {
	// Ns are the numbers of keys to measure, e.g. 100, 500, 2000.
	Ns []int
	// VKNs are the numbers of virtual keys to measure, after the keys, in
	// the same session: the four phases over N bifrost_virtual_key
	// resources (one budget and one provider config each), with the server
	// floor alone (measured also with OursOnly).
	VKNs []int
	// Providers are the Bifrost providers the keys are spread over; on a
	// real server they must exist.
	Providers []string
	// Latency is added by the emulator to every request.
	Latency time.Duration
	// Locks are the emulator's load-dependent "database is locked" answers;
	// nil for none. Only the phases of ours and the server floor make
	// requests: the other floors are measured without the server.
	Locks *emulator.LoadLocks
	// Parallelism is Terraform's -parallelism and the server floor's
	// concurrency.
	Parallelism int
	// Repeat is how many times each N is measured; the report keeps, for
	// each phase, the shortest wall time of ours and of each floor.
	Repeat int
	// OursOnly measures the phases with our provider alone, without the
	// floors (their columns stay 0): for comparing two builds of the
	// provider against the same emulator, e.g. in alternating runs. It does
	// not apply to the virtual keys, whose one floor, the server's, is
	// always measured.
	OursOnly bool
	// Backend is where the workspaces keep their state: BackendHTTP (an
	// in-process server) or BackendLocal (terraform.tfstate).
	Backend string
	// Endpoint, when set, is a real Bifrost server to run against instead
	// of the emulator; credentials come from the BIFROST_* variables, as for
	// the provider.
	Endpoint string
	// RepoRoot is the provider's module folder; the provider is built there.
	RepoRoot string
	// Keep keeps the work folder (workspaces, Terraform logs).
	Keep bool
	// Log receives progress lines.
	Log io.Writer
}

// Run builds the provider, measures every phase at every N and returns the
// report.
func Run(ctx context.Context, opts Options) (rep *Report, err error) {
	if len(opts.Ns)+len(opts.VKNs) == 0 || len(opts.Providers) == 0 || opts.Parallelism < 1 {
		return nil, errors.New("bench: need at least one N, one provider and a parallelism of at least 1")
	}
	if opts.Backend != BackendHTTP && opts.Backend != BackendLocal {
		return nil, fmt.Errorf("bench: unknown backend %q (want %s or %s)", opts.Backend, BackendHTTP, BackendLocal)
	}
	s := &session{opts: opts}
	s.logf = func(format string, args ...any) { fmt.Fprintf(opts.Log, format+"\n", args...) }
	if s.work, err = os.MkdirTemp("", "bifrost-bench-"); err != nil {
		return nil, err
	}
	defer func() {
		s.close()
		if opts.Keep || err != nil {
			s.logf("work folder kept: %s", s.work)
			return
		}
		_ = os.RemoveAll(s.work)
	}()
	load := loadAverage()
	if err := s.setup(ctx); err != nil {
		return nil, err
	}

	rep = &Report{
		Started: time.Now(), Target: "emulator", LatencyMS: float64(opts.Latency) / float64(time.Millisecond),
		Backend: opts.Backend, Parallelism: opts.Parallelism, Repeat: max(opts.Repeat, 1), OursOnly: opts.OursOnly, Providers: opts.Providers,
		Terraform: s.tfVersion, Go: runtime.Version(), CPUs: runtime.NumCPU(), LoadStart: load,
	}
	rep.Locks = "off"
	if opts.Locks != nil {
		rep.Locks = opts.Locks.String()
	}
	if s.emu == nil {
		rep.Target, rep.LatencyMS, rep.Locks = opts.Endpoint, 0, ""
	}
	// Key names are unique across a Bifrost server: make them unique to the run.
	runID := strconv.FormatInt(time.Now().Unix(), 36)
	for _, n := range opts.Ns {
		rows, err := s.measure(ctx, n, "bench-"+runID+"-"+strconv.Itoa(n))
		if err != nil {
			return nil, fmt.Errorf("with %d keys: %w", n, err)
		}
		rep.Rows = append(rep.Rows, rows...)
	}
	for _, n := range opts.VKNs {
		rows, err := s.measureVirtualKeys(ctx, n, "bench-"+runID+"-vk-"+strconv.Itoa(n))
		if err != nil {
			return nil, fmt.Errorf("with %d virtual keys: %w", n, err)
		}
		rep.Rows = append(rep.Rows, rows...)
	}
	rep.LoadEnd = loadAverage()
	return rep, nil
}

// loadAverage is the 1-minute load average from /proc/loadavg; nil where
// there is none (outside Linux).
func loadAverage() *float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return nil
	}
	var l float64
	if _, err := fmt.Sscanf(string(b), "%f", &l); err != nil {
		return nil
	}
	return &l
}

// session is what the phases of a run share.
type session struct {
	opts Options
	work string
	// self is this executable: Terraform's provider in every workspace is
	// this executable, which runs as the wrapper or serves a floor.
	self      string
	logf      func(string, ...any)
	tf        *terraformCLI
	tfVersion string
	emu       *emulator.Server // nil against a real server
	states    *stateServer     // nil with the local backend
	newClient func() (*bifrost.Client, error)
}

// close stops the servers the session started.
func (s *session) close() {
	if s.emu != nil {
		s.emu.Close()
	}
	if s.states != nil {
		s.states.close()
	}
}

// setup starts the emulator (or checks the real server) and the state
// server, builds the provider and the wrapper folder, and prepares
// Terraform's environment.
func (s *session) setup(ctx context.Context) error {
	tfBin, err := exec.LookPath("terraform")
	if err != nil {
		return errors.New("terraform is not on the PATH")
	}
	if s.opts.Backend == BackendHTTP {
		if s.states, err = startStateServer(); err != nil {
			return fmt.Errorf("starting the state server: %w", err)
		}
	}
	endpoint := s.opts.Endpoint
	if endpoint == "" {
		if s.emu, err = emulator.Start(emulator.Options{Providers: s.opts.Providers, LoadLocks: s.opts.Locks}); err != nil {
			return fmt.Errorf("starting the emulator: %w", err)
		}
		s.emu.SetLatency(s.opts.Latency)
		endpoint = s.emu.URL()
	}
	cfg := bifrost.Config{Endpoint: endpoint, MaxRetries: bifrost.DefaultMaxRetries, UserAgent: "bifrost-bench"}
	if s.emu == nil {
		cfg.Username, cfg.Password = os.Getenv("BIFROST_USERNAME"), os.Getenv("BIFROST_PASSWORD")
		cfg.Token, cfg.SetupToken = os.Getenv("BIFROST_TOKEN"), os.Getenv("BIFROST_SETUP_TOKEN")
		if err := checkProviders(ctx, cfg, s.opts.Providers); err != nil {
			return err
		}
	}
	s.newClient = func() (*bifrost.Client, error) { return bifrost.New(cfg) }

	providerDir, overrideDir := filepath.Join(s.work, "provider"), filepath.Join(s.work, "override")
	providerBin := filepath.Join(providerDir, "terraform-provider-bifrost")
	s.logf("building the provider into %s", providerDir)
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-X main.version=bench", "-o", providerBin, ".")
	build.Dir, build.Stdout, build.Stderr = s.opts.RepoRoot, s.opts.Log, s.opts.Log
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the provider: %w", err)
	}
	// Terraform starts the wrapper (this executable), which starts the
	// provider: see RunWrapperIfAsked.
	if s.self, err = os.Executable(); err != nil {
		return err
	}
	if err := os.MkdirAll(overrideDir, 0o750); err != nil {
		return err
	}
	if err := os.Symlink(s.self, filepath.Join(overrideDir, "terraform-provider-bifrost")); err != nil {
		return err
	}
	cliConfig := filepath.Join(s.work, "dev.tfrc")
	if err := os.WriteFile(cliConfig, []byte(devOverrides(overrideDir)), 0o600); err != nil {
		return err
	}
	set := []string{"TF_CLI_CONFIG_FILE=" + cliConfig, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1",
		envWrapProvider + "=" + providerBin}
	if s.emu != nil {
		set = append(set, "BIFROST_ENDPOINT="+endpoint)
	}
	s.tf = &terraformCLI{bin: tfBin, env: terraformEnv(os.Environ(), s.emu != nil, set...), parallelism: s.opts.Parallelism}
	s.tfVersion, err = s.tf.version(ctx)
	return err
}

// checkProviders fails unless every provider exists on the real server.
func checkProviders(ctx context.Context, cfg bifrost.Config, want []string) error {
	c, err := bifrost.New(cfg)
	if err != nil {
		return err
	}
	have, err := c.ListProviders(ctx)
	if err != nil {
		return fmt.Errorf("listing the providers of %s: %w", cfg.Endpoint, err)
	}
	var names []string
	for _, p := range have {
		names = append(names, p.Name)
	}
	for _, p := range want {
		if !slices.Contains(names, p) {
			return fmt.Errorf("provider %q does not exist on %s (it has %v): create it or choose others with -providers", p, cfg.Endpoint, names)
		}
	}
	return nil
}

// measure runs the four phases at n with our provider, then (unless
// OursOnly) with terraform_data, then with the null provider, then with the
// framework floor, then directly with the client, Repeat times over, and
// returns their rows: for each phase and each of the five, the repetition
// with the shortest wall time (the one least disturbed by anything else on
// the machine), and the largest peak memories of all.
func (s *session) measure(ctx context.Context, n int, prefix string) ([]Row, error) {
	oursWS, err := s.workspace(ctx, ours, n, prefix+"-tf")
	if err != nil {
		return nil, err
	}
	var dataWS, nullWS, frameworkWS *workspace
	if !s.opts.OursOnly {
		if dataWS, err = s.workspace(ctx, terraformFloor, n, prefix+"-data"); err != nil {
			return nil, err
		}
		if nullWS, err = s.workspace(ctx, protocolFloor, n, prefix+"-null"); err != nil {
			return nil, err
		}
		if frameworkWS, err = s.workspace(ctx, frameworkFloor, n, prefix+"-fw"); err != nil {
			return nil, err
		}
	}
	floor := &serverFloor{newClient: s.newClient, providers: s.opts.Providers, parallelism: s.opts.Parallelism, prefix: prefix + "-client"}

	var best []Row
	for rep := range max(s.opts.Repeat, 1) {
		rows := make([]Row, len(Phases))
		for i, p := range Phases {
			rows[i] = Row{N: n, Phase: p, Resource: ResourceKey, MinRequests: MinRequests(p, n, len(s.opts.Providers))}
		}
		if err := s.measureOurs(ctx, oursWS, n, rep, rows); err != nil {
			return nil, err
		}
		if s.opts.OursOnly {
			best = keepAll(best, rows)
			continue
		}
		if err := s.measureFloor(ctx, dataWS, n, "terraform floor", func(r *Row, wall, cpu time.Duration) {
			r.TerraformFloorSeconds, r.TerraformFloorCPUSeconds = wall.Seconds(), cpu.Seconds()
		}, rows); err != nil {
			return nil, err
		}
		if err := s.measureFloor(ctx, nullWS, n, "protocol floor", func(r *Row, wall, cpu time.Duration) {
			r.ProtocolFloorSeconds, r.ProtocolFloorCPUSeconds = wall.Seconds(), cpu.Seconds()
		}, rows, envServeNullProvider+"=1"); err != nil {
			return nil, err
		}
		if err := s.measureFramework(ctx, frameworkWS, n, rep, rows); err != nil {
			return nil, err
		}
		if err := s.measureServer(ctx, floor.run, func() { s.cleanupFloor(ctx, floor) }, n, rows); err != nil {
			return nil, err
		}
		best = keepAll(best, rows)
	}
	for i := range best {
		best[i] = best[i].Finish()
	}
	return best, nil
}

// measureVirtualKeys runs the four phases at n virtual keys with our
// provider, then directly with the client (the server floor), Repeat times
// over, and returns their rows as measure does.
func (s *session) measureVirtualKeys(ctx context.Context, n int, prefix string) ([]Row, error) {
	ws, err := s.workspace(ctx, virtualKeys, n, prefix+"-tf")
	if err != nil {
		return nil, err
	}
	floor := &vkServerFloor{newClient: s.newClient, providers: s.opts.Providers, parallelism: s.opts.Parallelism, prefix: prefix + "-client"}
	cleanup := func() {
		if s.emu == nil {
			s.logf("cleaning up the server floor's virtual keys (%s-*)", floor.prefix)
			floor.cleanup(ctx)
		}
	}
	var best []Row
	for rep := range max(s.opts.Repeat, 1) {
		rows := make([]Row, len(Phases))
		for i, p := range Phases {
			rows[i] = Row{N: n, Phase: p, Resource: ResourceVirtualKey, MinRequests: MinVirtualKeyRequests(p, n)}
		}
		if err := s.measureOurs(ctx, ws, n, rep, rows); err != nil {
			return nil, err
		}
		if err := s.measureServer(ctx, floor.run, cleanup, n, rows); err != nil {
			return nil, err
		}
		best = keepAll(best, rows)
	}
	for i := range best {
		best[i] = best[i].Finish()
	}
	return best, nil
}

// keepAll merges the rows of a repetition into the best so far (nil before
// the first).
func keepAll(best, rows []Row) []Row {
	if best == nil {
		return rows
	}
	for i := range best {
		best[i] = keepBest(best[i], rows[i])
	}
	return best
}

// keepBest merges the measurements of a repetition into the best so far.
func keepBest(best, r Row) Row {
	if r.Seconds < best.Seconds {
		best.Seconds, best.CPUSeconds, best.Requests, best.RequestsByClass = r.Seconds, r.CPUSeconds, r.Requests, r.RequestsByClass
		best.ProviderCPUSeconds, best.ProviderProcesses = r.ProviderCPUSeconds, r.ProviderProcesses
		best.Writes, best.LockAnswers, best.PeakWritesInFlight, best.Check = r.Writes, r.LockAnswers, r.PeakWritesInFlight, r.Check
	}
	if r.PeakRSSBytes != nil && (best.PeakRSSBytes == nil || *r.PeakRSSBytes > *best.PeakRSSBytes) {
		best.PeakRSSBytes = r.PeakRSSBytes
	}
	if r.TerraformFloorSeconds < best.TerraformFloorSeconds {
		best.TerraformFloorSeconds, best.TerraformFloorCPUSeconds = r.TerraformFloorSeconds, r.TerraformFloorCPUSeconds
	}
	if r.ProtocolFloorSeconds < best.ProtocolFloorSeconds {
		best.ProtocolFloorSeconds, best.ProtocolFloorCPUSeconds = r.ProtocolFloorSeconds, r.ProtocolFloorCPUSeconds
	}
	if r.FrameworkFloorSeconds < best.FrameworkFloorSeconds {
		best.FrameworkFloorSeconds, best.FrameworkFloorCPUSeconds = r.FrameworkFloorSeconds, r.FrameworkFloorCPUSeconds
		best.FrameworkFloorProviderCPUSeconds = r.FrameworkFloorProviderCPUSeconds
		best.FrameworkFloorProviderProcesses = r.FrameworkFloorProviderProcesses
	}
	if r.FrameworkFloorPeakRSSBytes != nil && (best.FrameworkFloorPeakRSSBytes == nil || *r.FrameworkFloorPeakRSSBytes > *best.FrameworkFloorPeakRSSBytes) {
		best.FrameworkFloorPeakRSSBytes = r.FrameworkFloorPeakRSSBytes
	}
	if r.ServerFloorSeconds < best.ServerFloorSeconds {
		best.ServerFloorSeconds, best.ServerFloorRequests = r.ServerFloorSeconds, r.ServerFloorRequests
		best.ServerFloorWrites, best.ServerFloorLockAnswers = r.ServerFloorWrites, r.ServerFloorLockAnswers
	}
	return best
}

// measureOurs runs the phases with our provider, counting the requests,
// writes and lock answers, recording the provider processes' CPU time and
// peak memory, and checking after each phase that the server holds what
// Terraform thinks it does.
func (s *session) measureOurs(ctx context.Context, ws *workspace, n, rep int, rows []Row) error {
	for i, p := range Phases {
		r := &rows[i]
		if err := ws.configure(p); err != nil {
			return err
		}
		var run wrappedRun
		wall, t, err := s.counted(func() (time.Duration, error) {
			var err error
			run, err = s.runWrapped(ctx, ws, n, p, fmt.Sprintf("%s-%d-%d-%s", ws.label(), n, rep, p))
			return run.wall, err
		})
		if err != nil {
			// What the failed phase left on the server tells whether a
			// write was lost or doubled.
			if c, cerr := s.check(ctx, ws, p); cerr == nil {
				err = fmt.Errorf("%w\nafter the failed %s: lock answers %s of the writes; server check %s (%+v)",
					err, p, fractionOrNA(t.locked, t.writes), c.Summary(), c)
			}
			s.cleanupOurs(ctx, ws.dir, n)
			return err
		}
		r.Seconds, r.CPUSeconds, r.Requests, r.RequestsByClass = wall.Seconds(), run.cpu.Seconds(), t.requests, t.classes
		r.Writes, r.LockAnswers, r.PeakWritesInFlight = t.writes, t.locked, t.peakWrites
		r.ProviderCPUSeconds, r.ProviderProcesses, r.PeakRSSBytes = run.providerUsage()
		c, err := s.check(ctx, ws, p)
		if err != nil {
			return fmt.Errorf("checking the server after %s: %w", p, err)
		}
		r.Check = &c
		s.logf("N=%d %-7s %-15s %7.2fs  requests %s (%s), lock answers %s of the writes (peak %s in flight), check %s, "+
			"CPU %.1fs of which provider %.1fs, peak RSS %s MiB (%d provider processes)",
			n, p, ws.label(), r.Seconds, intOrNA(r.Requests), classesOrNA(r.RequestsByClass), fractionOrNA(r.LockAnswers, r.Writes),
			intOrNA(r.PeakWritesInFlight), c.Summary(), r.CPUSeconds, r.ProviderCPUSeconds, mibOrNA(r.PeakRSSBytes), r.ProviderProcesses)
		if !c.OK() {
			s.cleanupOurs(ctx, ws.dir, n)
			return fmt.Errorf("after %s the server does not hold what Terraform thinks: %s (%+v); see %s", p, c.Summary(), c, ws.dir)
		}
	}
	return nil
}

// measureFramework runs the phases with the framework floor, recording its
// provider processes' CPU time and peak memory as measureOurs does ours:
// the wrapper's child is this executable, which serves the floor.
func (s *session) measureFramework(ctx context.Context, ws *workspace, n, rep int, rows []Row) error {
	for i, p := range Phases {
		r := &rows[i]
		if err := ws.configure(p); err != nil {
			return err
		}
		run, err := s.runWrapped(ctx, ws, n, p, fmt.Sprintf("framework-%d-%d-%s", n, rep, p),
			envWrapProvider+"="+s.self, envServeFrameworkFloor+"=1")
		if err != nil {
			return fmt.Errorf("framework floor: %w", err)
		}
		r.FrameworkFloorSeconds, r.FrameworkFloorCPUSeconds = run.wall.Seconds(), run.cpu.Seconds()
		r.FrameworkFloorProviderCPUSeconds, r.FrameworkFloorProviderProcesses, r.FrameworkFloorPeakRSSBytes = run.providerUsage()
		s.logf("N=%d %-7s framework floor %7.2fs  CPU %.1fs of which provider %.1fs, peak RSS %s MiB (%d provider processes)",
			n, p, r.FrameworkFloorSeconds, r.FrameworkFloorCPUSeconds, r.FrameworkFloorProviderCPUSeconds,
			mibOrNA(r.FrameworkFloorPeakRSSBytes), r.FrameworkFloorProviderProcesses)
	}
	return nil
}

// wrappedRun is what runWrapped measured of a Terraform command.
type wrappedRun struct {
	wall, cpu time.Duration
	// provider is the usage of the provider processes, processes how many
	// recorded one (0 when none did or the records could not be read).
	provider  procUsage
	processes int
}

// providerUsage returns the provider processes' CPU time in seconds,
// their number and their largest peak RSS (nil when not measured).
func (w wrappedRun) providerUsage() (cpu float64, processes int, peakRSS *int64) {
	if w.processes == 0 {
		return 0, 0, nil
	}
	if w.provider.peakRSS >= 0 {
		peak := w.provider.peakRSS
		peakRSS = &peak
	}
	return w.provider.cpu.Seconds(), w.processes, peakRSS
}

// runWrapped runs phase p in ws with the wrapper recording the usage of
// every provider process Terraform starts in the folder usage/<name> of
// the work folder; extraEnv is added to the environment.
func (s *session) runWrapped(ctx context.Context, ws *workspace, n int, p Phase, name string, extraEnv ...string) (wrappedRun, error) {
	usageDir := filepath.Join(s.work, "usage", name)
	if err := os.MkdirAll(usageDir, 0o750); err != nil {
		return wrappedRun{}, err
	}
	var (
		run wrappedRun
		err error
	)
	run.wall, run.cpu, err = s.tf.run(ctx, ws.dir, p, n, append([]string{envWrapUsageDir + "=" + usageDir}, extraEnv...)...)
	if err != nil {
		return run, err
	}
	if u, procs, err := readUsage(usageDir); err == nil {
		run.provider, run.processes = u, procs
	}
	return run, nil
}

// measureFloor runs the phases in a floor's workspace and records each
// phase's wall and CPU time in rows with record.
func (s *session) measureFloor(ctx context.Context, ws *workspace, n int, label string,
	record func(r *Row, wall, cpu time.Duration), rows []Row, extraEnv ...string,
) error {
	for i, p := range Phases {
		if err := ws.configure(p); err != nil {
			return err
		}
		wall, cpu, err := s.tf.run(ctx, ws.dir, p, n, extraEnv...)
		if err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		record(&rows[i], wall, cpu)
		s.logf("N=%d %-7s %-15s %7.2fs  CPU %.1fs", n, p, label, wall.Seconds(), cpu.Seconds())
	}
	return nil
}

// measureServer makes the phases' requests directly with the client, with
// run (a server floor's); cleanup removes what a failed phase left.
func (s *session) measureServer(ctx context.Context, run func(context.Context, Phase, int) error, cleanup func(), n int, rows []Row) error {
	for i, p := range Phases {
		wall, t, err := s.counted(func() (time.Duration, error) {
			start := time.Now()
			err := run(ctx, p, n)
			return time.Since(start), err
		})
		if err != nil {
			cleanup()
			return fmt.Errorf("server floor, %s: %w (lock answers %s of the writes)", p, err, fractionOrNA(t.locked, t.writes))
		}
		r := &rows[i]
		r.ServerFloorSeconds, r.ServerFloorRequests = wall.Seconds(), t.requests
		r.ServerFloorWrites, r.ServerFloorLockAnswers = t.writes, t.locked
		s.logf("N=%d %-7s server floor    %7.2fs  requests %s, lock answers %s of the writes (peak %s in flight)",
			n, p, wall.Seconds(), intOrNA(t.requests), fractionOrNA(t.locked, t.writes), intOrNA(t.peakWrites))
	}
	return nil
}

// traffic is what the emulator counted during a command; every count is
// nil against a real server.
type traffic struct {
	// requests, writes among them, and lock answers among those.
	requests, writes, locked *int
	// peakWrites is the most writes in flight at once.
	peakWrites *int
	// classes counts the requests by requestClass.
	classes map[string]int
}

// lockAnswers is how many writes the emulator's lock refused: the
// answers ending in "database is locked" (every refused key write), or
// more when some refused writes were answered otherwise (a virtual key
// DELETE answers "Failed to delete virtual key", as Bifrost's does).
func (t traffic) lockAnswers(refused int) *int {
	if t.locked == nil || refused <= *t.locked {
		return t.locked
	}
	return &refused
}

// counted runs fn and counts the requests the emulator received meanwhile,
// also when fn fails.
func (s *session) counted(fn func() (time.Duration, error)) (time.Duration, traffic, error) {
	if s.emu != nil {
		s.emu.ResetRequests()
	}
	d, err := fn()
	if s.emu == nil {
		return d, traffic{}, err
	}
	log, st := s.emu.Requests(), s.emu.LockStats()
	reqs, classes := len(log), map[string]int{}
	for _, r := range log {
		classes[requestClass(r.Method, r.Path)]++
	}
	t := traffic{requests: &reqs, writes: &st.Writes, locked: &st.Locked, peakWrites: &st.PeakInFlight, classes: classes}
	t.locked = t.lockAnswers(st.Refused)
	return d, t, err
}

// workspace is the folder of one Terraform configuration of n resources.
type workspace struct {
	s      *session
	dir    string
	kind   workspaceKind
	n      int
	prefix string
	// backend is the http backend's address; "" with the local backend.
	backend string
}

// workspace creates a workspace, initialises its backend and validates its
// configuration (untimed; this also warms the file cache).
func (s *session) workspace(ctx context.Context, kind workspaceKind, n int, prefix string) (*workspace, error) {
	ws := &workspace{s: s, dir: filepath.Join(s.work, prefix), kind: kind, n: n, prefix: prefix}
	if err := os.MkdirAll(ws.dir, 0o750); err != nil {
		return nil, err
	}
	if s.states != nil {
		ws.backend = s.states.address(prefix)
		if err := ws.write(renderBackendOnly(ws.backend)); err != nil {
			return nil, err
		}
		if err := s.tf.command(ctx, ws.dir, "init", "-input=false", "-no-color"); err != nil {
			return nil, err
		}
	}
	if err := ws.configure(PhaseCreate); err != nil {
		return nil, err
	}
	return ws, s.tf.command(ctx, ws.dir, "validate", "-no-color")
}

// configure writes the configuration a phase runs with: the update phase
// (and the destroy after it) changes every key's weight, or every virtual
// key's description.
func (ws *workspace) configure(p Phase) error {
	weight := weightBefore
	if p == PhaseUpdate || p == PhaseDestroy {
		weight = weightAfter
	}
	if ws.kind == virtualKeys {
		return ws.write(renderVirtualKeyConfig(ws.n, ws.s.opts.Providers, ws.prefix, weight, ws.backend))
	}
	return ws.write(renderConfig(ws.kind, ws.n, ws.s.opts.Providers, ws.prefix, weight, ws.backend))
}

// label names the workspace's measurements of ours in the log: "ours" for
// keys, "ours-vk" for virtual keys.
func (ws *workspace) label() string {
	if ws.kind == virtualKeys {
		return "ours-vk"
	}
	return "ours"
}

func (ws *workspace) write(config string) error {
	return os.WriteFile(filepath.Join(ws.dir, "main.tf"), []byte(config), 0o600)
}

// cleanupOurs destroys what a failed phase may have left on a real server.
func (s *session) cleanupOurs(ctx context.Context, dir string, n int) {
	if s.emu != nil {
		return
	}
	s.logf("cleaning up: terraform destroy in %s", dir)
	if _, _, err := s.tf.run(ctx, dir, PhaseDestroy, n); err != nil {
		s.logf("cleanup failed, run `terraform destroy` in %s: %v", dir, err)
	}
}

// cleanupFloor deletes the server floor's keys from a real server.
func (s *session) cleanupFloor(ctx context.Context, f *serverFloor) {
	if s.emu != nil || len(f.keys) == 0 {
		return
	}
	s.logf("cleaning up the server floor's keys (%s-*)", f.prefix)
	c, err := s.newClient()
	if err != nil {
		return
	}
	for i, k := range f.keys {
		if k.ID != "" {
			_, _ = c.DeleteKey(ctx, keyProvider(f.providers, i), k.ID)
		}
	}
}
