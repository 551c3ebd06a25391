package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Phase is one Terraform command of the benchmark.
type Phase string

// The phases, in the order they run for each N.
const (
	// PhaseCreate is `terraform apply` on an empty state.
	PhaseCreate Phase = "create"
	// PhasePlan is `terraform plan -detailed-exitcode` with nothing to
	// change: a refresh of every key.
	PhasePlan Phase = "plan"
	// PhaseUpdate is `terraform apply` after changing the weight of every key:
	// a refresh, then one update per key.
	PhaseUpdate Phase = "update"
	// PhaseDestroy is `terraform destroy`: a refresh, then one delete per key.
	PhaseDestroy Phase = "destroy"
)

// Phases lists the phases in the order they run.
var Phases = []Phase{PhaseCreate, PhasePlan, PhaseUpdate, PhaseDestroy}

// MinRequests is the fewest HTTP requests a phase over n keys spread over
// the given number of providers can make: one write per key, plus one key
// list per provider for every refresh (plan, and the refresh that precedes
// an update or a destroy). Creating needs no read.
func MinRequests(p Phase, n, providers int) int {
	switch p {
	case PhaseCreate:
		return n
	case PhasePlan:
		return providers
	default:
		return n + providers
	}
}

// MinVirtualKeyRequests is the fewest HTTP requests a phase over n virtual
// keys can make with our provider: one POST per key to create; one list of
// all virtual keys for every refresh (Read serves every key from one list
// per run, see bifrost.Client.ReadVirtualKey), so 1 for the plan and 1 for
// the refresh that precedes an update or a destroy; an update reads each key
// before its PUT (the PUT is built from the provider-config ids the key
// holds): 2 per key; a destroy one DELETE per key.
func MinVirtualKeyRequests(p Phase, n int) int {
	switch p {
	case PhaseCreate:
		return n
	case PhasePlan:
		return 1
	case PhaseUpdate:
		return 1 + 2*n
	default:
		return 1 + n
	}
}

// The resources of a row.
const (
	ResourceKey        = "bifrost_provider_key"
	ResourceVirtualKey = "bifrost_virtual_key"
)

// Row holds the figures of one phase at one N. The measured fields are
// filled by the run; Finish computes the derived ones.
type Row struct {
	N     int   `json:"n"`
	Phase Phase `json:"phase"`
	// Resource is the resource of the N instances: ResourceKey (also when
	// "") or ResourceVirtualKey. Virtual key rows have the server floor
	// alone: their Ratio is Seconds / ServerFloorSeconds.
	Resource string `json:"resource,omitempty"`

	// Seconds is the wall time of the Terraform command with our provider.
	Seconds float64 `json:"seconds"`
	// TerraformFloorSeconds is the same command over N terraform_data
	// resources of the same shape: Terraform's own cost.
	TerraformFloorSeconds float64 `json:"terraform_floor_seconds"`
	// ServerFloorSeconds is the phase's minimal requests made directly with
	// the project's client at the same concurrency: the server's cost.
	ServerFloorSeconds float64 `json:"server_floor_seconds"`
	// ProtocolFloorSeconds is the wall time of the phase with the null
	// provider: Terraform's cost with an external provider of this schema
	// that does nothing (see ServeNullProviderIfAsked).
	ProtocolFloorSeconds float64 `json:"protocol_floor_seconds"`
	// FrameworkFloorSeconds is the wall time of the phase with the framework
	// floor: a terraform-plugin-framework provider of this schema that does
	// nothing (see ServeFrameworkFloorIfAsked).
	FrameworkFloorSeconds float64 `json:"framework_floor_seconds"`

	// Requests is how many HTTP requests the server received during the
	// Terraform command; nil when they cannot be counted (a real server).
	Requests *int `json:"requests"`
	// ServerFloorRequests is the same count for the server floor.
	ServerFloorRequests *int `json:"server_floor_requests"`
	// MinRequests is MinRequests of the phase (MinVirtualKeyRequests for
	// virtual keys).
	MinRequests int `json:"min_requests"`
	// RequestsByClass counts Requests by method and path, ids replaced by
	// {id} (see requestClass), e.g. "GET /api/governance/virtual-keys";
	// nil when not counted.
	RequestsByClass map[string]int `json:"requests_by_class,omitempty"`

	// Writes is how many of Requests were writes (POST, PUT, PATCH,
	// DELETE), retries included; nil when not counted.
	Writes *int `json:"writes"`
	// LockAnswers is how many of the Writes the server answered with its
	// 500 "database is locked" (the emulator does with its load-dependent
	// locks on, see Options.Locks); nil when not counted.
	LockAnswers *int `json:"lock_answers"`
	// PeakWritesInFlight is the most writes the server had in flight at
	// once during the command; nil when not counted.
	PeakWritesInFlight *int `json:"peak_writes_in_flight"`
	// ServerFloorWrites and ServerFloorLockAnswers are the same counts for
	// the server floor.
	ServerFloorWrites      *int `json:"server_floor_writes"`
	ServerFloorLockAnswers *int `json:"server_floor_lock_answers"`
	// Check is what the server held after the phase of ours, compared with
	// Terraform's state and configuration; nil when not checked.
	Check *Check `json:"check"`

	// CPUSeconds is the CPU time of the Terraform command with our
	// provider: Terraform's and its provider processes' together.
	CPUSeconds float64 `json:"cpu_seconds"`
	// ProviderCPUSeconds is the provider processes' share of CPUSeconds.
	ProviderCPUSeconds float64 `json:"provider_cpu_seconds"`
	// TerraformFloorCPUSeconds is the CPU time of the terraform_data command.
	TerraformFloorCPUSeconds float64 `json:"terraform_floor_cpu_seconds"`
	// ProtocolFloorCPUSeconds is the CPU time of Terraform and the null
	// provider.
	ProtocolFloorCPUSeconds float64 `json:"protocol_floor_cpu_seconds"`
	// FrameworkFloorCPUSeconds is the CPU time of Terraform and the
	// framework floor's provider processes.
	FrameworkFloorCPUSeconds float64 `json:"framework_floor_cpu_seconds"`
	// FrameworkFloorProviderCPUSeconds is the framework floor's provider
	// processes' share of FrameworkFloorCPUSeconds, measured as
	// ProviderCPUSeconds is.
	FrameworkFloorProviderCPUSeconds float64 `json:"framework_floor_provider_cpu_seconds"`

	// PeakRSSBytes is the largest RSS high-water mark of the provider
	// processes Terraform started for the command; nil when not measured.
	PeakRSSBytes *int64 `json:"peak_rss_bytes"`
	// ProviderProcesses is how many provider processes Terraform started.
	ProviderProcesses int `json:"provider_processes"`
	// FrameworkFloorPeakRSSBytes and FrameworkFloorProviderProcesses are the
	// same for the framework floor.
	FrameworkFloorPeakRSSBytes      *int64 `json:"framework_floor_peak_rss_bytes"`
	FrameworkFloorProviderProcesses int    `json:"framework_floor_provider_processes"`

	// Ratio is Seconds / (TerraformFloorSeconds + ServerFloorSeconds).
	Ratio float64 `json:"ratio"`
	// ProtocolRatio is Seconds / (ProtocolFloorSeconds +
	// ServerFloorSeconds): how far the provider is from one that does
	// nothing but make the requests.
	ProtocolRatio float64 `json:"protocol_ratio"`
	// RequestRatio is Requests / MinRequests; nil when Requests is.
	RequestRatio *float64 `json:"request_ratio"`
	// LockShare is LockAnswers / Writes, and ServerFloorLockShare the same
	// for the server floor; nil without writes.
	LockShare            *float64 `json:"lock_share"`
	ServerFloorLockShare *float64 `json:"server_floor_lock_share"`
	// ProviderCPURatio is ProviderCPUSeconds /
	// FrameworkFloorProviderCPUSeconds, the provider CPU time per key of
	// ours over the framework floor's; nil when either was not measured.
	ProviderCPURatio *float64 `json:"provider_cpu_ratio"`
	// MsPerKey and the floors' per-key costs, in milliseconds per key.
	MsPerKey               float64 `json:"ms_per_key"`
	TerraformFloorMsPerKey float64 `json:"terraform_floor_ms_per_key"`
	ServerFloorMsPerKey    float64 `json:"server_floor_ms_per_key"`
	// ProviderCPUMsPerKey and FrameworkFloorProviderCPUMsPerKey are the
	// provider processes' CPU time per key, ours and the framework floor's.
	ProviderCPUMsPerKey               float64 `json:"provider_cpu_ms_per_key"`
	FrameworkFloorProviderCPUMsPerKey float64 `json:"framework_floor_provider_cpu_ms_per_key"`
}

// Finish returns r with the derived figures computed from the measured ones.
func (r Row) Finish() Row {
	if floor := r.TerraformFloorSeconds + r.ServerFloorSeconds; floor > 0 {
		r.Ratio = r.Seconds / floor
	}
	if floor := r.ProtocolFloorSeconds + r.ServerFloorSeconds; floor > 0 && r.ProtocolFloorSeconds > 0 {
		r.ProtocolRatio = r.Seconds / floor
	}
	r.RequestRatio = nil
	if r.Requests != nil && r.MinRequests > 0 {
		q := float64(*r.Requests) / float64(r.MinRequests)
		r.RequestRatio = &q
	}
	r.LockShare = share(r.LockAnswers, r.Writes)
	r.ServerFloorLockShare = share(r.ServerFloorLockAnswers, r.ServerFloorWrites)
	r.ProviderCPURatio = nil
	if r.ProviderProcesses > 0 && r.FrameworkFloorProviderProcesses > 0 && r.FrameworkFloorProviderCPUSeconds > 0 {
		q := r.ProviderCPUSeconds / r.FrameworkFloorProviderCPUSeconds
		r.ProviderCPURatio = &q
	}
	if r.N > 0 {
		r.MsPerKey = 1000 * r.Seconds / float64(r.N)
		r.TerraformFloorMsPerKey = 1000 * r.TerraformFloorSeconds / float64(r.N)
		r.ServerFloorMsPerKey = 1000 * r.ServerFloorSeconds / float64(r.N)
		r.ProviderCPUMsPerKey = 1000 * r.ProviderCPUSeconds / float64(r.N)
		r.FrameworkFloorProviderCPUMsPerKey = 1000 * r.FrameworkFloorProviderCPUSeconds / float64(r.N)
	}
	return r
}

// share is part / whole; nil when either is not counted or whole is 0.
func share(part, whole *int) *float64 {
	if part == nil || whole == nil || *whole == 0 {
		return nil
	}
	q := float64(*part) / float64(*whole)
	return &q
}

// The per-key costs whose growth the table prints.
var (
	// oursPerKey is the wall time per key with our provider.
	oursPerKey = func(r Row) float64 { return r.MsPerKey }
	// floorPerKey is the wall time per key of Terraform's floor.
	floorPerKey = func(r Row) float64 { return r.TerraformFloorMsPerKey }
	// providerCPUPerKey is the provider processes' CPU time per key.
	providerCPUPerKey = func(r Row) float64 { return r.ProviderCPUSeconds / float64(r.N) }
	// frameworkCPUPerKey is the framework floor's provider CPU time per key.
	frameworkCPUPerKey = func(r Row) float64 { return r.FrameworkFloorProviderCPUSeconds / float64(r.N) }
)

// Growth is, per phase, a per-key cost at the largest N divided by the one
// at the smallest N. At most about 1 means the phase grows at most linearly
// in N (fixed costs make it fall below 1). A phase whose cost at either N
// is 0 (not measured) has no growth.
func Growth(rows []Row, perKey func(Row) float64) map[Phase]float64 {
	first, last := map[Phase]Row{}, map[Phase]Row{}
	for _, r := range rows {
		if f, ok := first[r.Phase]; !ok || r.N < f.N {
			first[r.Phase] = r
		}
		if l, ok := last[r.Phase]; !ok || r.N > l.N {
			last[r.Phase] = r
		}
	}
	out := map[Phase]float64{}
	for p, f := range first {
		if l := last[p]; l.N > f.N && perKey(f) > 0 && perKey(l) > 0 {
			out[p] = perKey(l) / perKey(f)
		}
	}
	return out
}

// Report is everything a run measured, as written to the results file.
type Report struct {
	Started time.Time `json:"started"`
	// Target is "emulator" or the endpoint of the real server.
	Target string `json:"target"`
	// Locks is the emulator's load-dependent lock setting (see
	// emulator.ParseLoadLocks), "off" without; "" against a real server.
	Locks string `json:"locks"`
	// LatencyMS is the latency the emulator added to every request (0 for a
	// real server).
	LatencyMS float64 `json:"latency_ms"`
	// Backend is where the workspaces keep their state: BackendHTTP or
	// BackendLocal.
	Backend     string `json:"backend"`
	Parallelism int    `json:"parallelism"`
	// Repeat is how many times each N was measured (the rows keep the
	// shortest wall time of each phase).
	Repeat int `json:"repeat"`
	// OursOnly says the floors were not measured (their columns are 0).
	OursOnly  bool     `json:"ours_only,omitempty"`
	Providers []string `json:"providers"`
	Terraform string   `json:"terraform_version"`
	Go        string   `json:"go_version"`
	CPUs      int      `json:"cpus"`
	// LoadStart and LoadEnd are the 1-minute load averages when the run
	// started and ended (nil where unknown). Above CPUs, other processes
	// competed for the CPUs: wall times are inflated, CPU times much less.
	LoadStart *float64 `json:"load_start"`
	LoadEnd   *float64 `json:"load_end"`
	Rows      []Row    `json:"rows"`
}

// Busy reports whether the machine's load exceeded its CPUs at the start or
// the end of the run.
func (r *Report) Busy() bool {
	for _, l := range []*float64{r.LoadStart, r.LoadEnd} {
		if l != nil && *l > float64(r.CPUs) {
			return true
		}
	}
	return false
}

// WriteJSON writes the report into dir as bench-<start time>.json and
// returns the file's path.
func (r *Report) WriteJSON(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	file := filepath.Join(dir, "bench-"+r.Started.UTC().Format("20060102T150405Z")+".json")
	return file, os.WriteFile(file, append(b, '\n'), 0o600)
}

// WriteTable prints the rows as an aligned table, followed by the provider
// CPU time per key of ours against the framework floor's and by the
// per-key growth of each phase.
//
// Virtual key rows follow in a table of their own (see
// writeVirtualKeyTable).
func WriteTable(w io.Writer, rows []Row) error {
	var keys, vks []Row
	for _, r := range rows {
		if r.Resource == ResourceVirtualKey {
			vks = append(vks, r)
		} else {
			keys = append(keys, r)
		}
	}
	if len(keys) > 0 || len(vks) == 0 {
		if err := writeKeyTable(w, keys); err != nil {
			return err
		}
	}
	if len(vks) > 0 {
		if len(keys) > 0 {
			fmt.Fprintln(w)
		}
		return writeVirtualKeyTable(w, vks)
	}
	return nil
}

// writeVirtualKeyTable prints the virtual key rows: ours against the
// server floor, the requests against their minimum and by class, and the
// per-key growth of ours.
func writeVirtualKeyTable(w io.Writer, rows []Row) error {
	fmt.Fprintln(w, "virtual keys (bifrost_virtual_key), against the server floor:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "N\tphase\tcheck\tours s\tlocks\tsrv floor s\tsrv locks\tratio\trequests\tmin\treq ratio\tsrv requests\tms/key\tCPU s\tprov CPU s\tpeak RSS MiB\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t%s\t%.2f\t%s\t%.2f\t%s\t%d\t%s\t%s\t%.2f\t%.1f\t%.2f\t%s\t\n",
			r.N, r.Phase, r.Check.Summary(), r.Seconds, fractionOrNA(r.LockAnswers, r.Writes), r.ServerFloorSeconds,
			fractionOrNA(r.ServerFloorLockAnswers, r.ServerFloorWrites), r.Ratio,
			intOrNA(r.Requests), r.MinRequests, floatOrNA(r.RequestRatio), intOrNA(r.ServerFloorRequests), r.MsPerKey,
			r.CPUSeconds, r.ProviderCPUSeconds, mibOrNA(r.PeakRSSBytes))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nvirtual key requests by method and path:")
	for _, r := range rows {
		fmt.Fprintf(w, "  N=%-6d %-7s %s\n", r.N, r.Phase, classesOrNA(r.RequestsByClass))
	}
	if g := Growth(rows, oursPerKey); len(g) > 0 {
		fmt.Fprintln(w, "\nvirtual keys, per-key cost at the largest N / at the smallest N (≤ 1: at most linear):")
		for _, p := range Phases {
			if v, ok := g[p]; ok {
				fmt.Fprintf(w, "  %-7s ours %.2f\n", p, v)
			}
		}
	}
	return nil
}

// classesOrNA is "GET /a 1, PUT /a/{id} 100", sorted; "n/a" for nil.
func classesOrNA(m map[string]int) string {
	if m == nil {
		return "n/a"
	}
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, c := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, c+" "+strconv.Itoa(m[c]))
	}
	return strings.Join(parts, ", ")
}

// requestClass is a request's method and path with every segment that
// looks like an id (it has a digit, or follows "virtual-keys" or "keys")
// replaced by {id}, and without the query.
func requestClass(method, path string) string {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if seg != "" && (i > 0 && (segs[i-1] == "virtual-keys" || segs[i-1] == "keys") || strings.ContainsAny(seg, "0123456789")) {
			segs[i] = "{id}"
		}
	}
	return method + " " + strings.Join(segs, "/")
}

// writeKeyTable prints the key rows (see WriteTable).
func writeKeyTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "N\tphase\tcheck\tours s\tlocks\tlock %\tpeak writes\ttf floor s\tsrv floor s\tsrv locks\tsrv lock %\t"+
		"ratio\tproto floor s\tproto ratio\tfw floor s\t"+
		"requests\tmin\treq ratio\tms/key\t"+
		"CPU s\tprov CPU s\ttf floor CPU s\tproto floor CPU s\tfw floor CPU s\tfw floor prov CPU s\tpeak RSS MiB\tfw floor RSS MiB\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.2f\t%s\t%s\t%s\t%.2f\t%.2f\t%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%d\t%s\t%.2f\t%.1f\t%.2f\t%.1f\t%.1f\t%.1f\t%.2f\t%s\t%s\t\n",
			r.N, r.Phase, r.Check.Summary(), r.Seconds, fractionOrNA(r.LockAnswers, r.Writes), percentOrNA(r.LockShare), intOrNA(r.PeakWritesInFlight),
			r.TerraformFloorSeconds, r.ServerFloorSeconds,
			fractionOrNA(r.ServerFloorLockAnswers, r.ServerFloorWrites), percentOrNA(r.ServerFloorLockShare), r.Ratio,
			r.ProtocolFloorSeconds, r.ProtocolRatio, r.FrameworkFloorSeconds,
			intOrNA(r.Requests), r.MinRequests, floatOrNA(r.RequestRatio), r.MsPerKey,
			r.CPUSeconds, r.ProviderCPUSeconds, r.TerraformFloorCPUSeconds, r.ProtocolFloorCPUSeconds,
			r.FrameworkFloorCPUSeconds, r.FrameworkFloorProviderCPUSeconds, mibOrNA(r.PeakRSSBytes), mibOrNA(r.FrameworkFloorPeakRSSBytes))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rows) > 0 {
		fmt.Fprintln(w, "\nprovider CPU per key: ours / framework floor")
		for _, r := range rows {
			fmt.Fprintf(w, "  N=%-6d %-7s %s\n", r.N, r.Phase, providerCPURatio(r))
		}
	}
	ours, floor, cpu, fw := Growth(rows, oursPerKey), Growth(rows, floorPerKey), Growth(rows, providerCPUPerKey), Growth(rows, frameworkCPUPerKey)
	if len(ours) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\nper-key cost at the largest N / at the smallest N (≤ 1: at most linear):")
	for _, p := range Phases {
		if g, ok := ours[p]; ok {
			fmt.Fprintf(w, "  %-7s ours %.2f, terraform floor %s, provider CPU %s, framework floor provider CPU %s\n",
				p, g, growthOrNA(floor, p), growthOrNA(cpu, p), growthOrNA(fw, p))
		}
	}
	return nil
}

// providerCPURatio describes a row's ProviderCPURatio with the per-key
// figures it is made of.
func providerCPURatio(r Row) string {
	if r.ProviderCPURatio == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.3f ms / %.3f ms = %.2f", r.ProviderCPUMsPerKey, r.FrameworkFloorProviderCPUMsPerKey, *r.ProviderCPURatio)
}

func growthOrNA(g map[Phase]float64, p Phase) string {
	if v, ok := g[p]; ok {
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return "n/a"
}

func intOrNA(v *int) string {
	if v == nil {
		return "n/a"
	}
	return strconv.Itoa(*v)
}

// fractionOrNA is "part/whole", e.g. "12/140" lock answers of 140 writes.
func fractionOrNA(part, whole *int) string {
	if part == nil || whole == nil {
		return "n/a"
	}
	return strconv.Itoa(*part) + "/" + strconv.Itoa(*whole)
}

// percentOrNA is a share in percent, e.g. "8.6".
func percentOrNA(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(100**v, 'f', 1, 64)
}

func floatOrNA(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

func mibOrNA(v *int64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(float64(*v)/(1<<20), 'f', 1, 64)
}
