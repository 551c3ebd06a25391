package bench

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func intp(v int) *int       { return &v }
func int64p(v int64) *int64 { return &v }

func TestMinRequests(t *testing.T) {
	for _, tc := range []struct {
		phase Phase
		want  int
	}{
		{PhaseCreate, 2000}, // one write per key, no read
		{PhasePlan, 5},      // one list per provider
		{PhaseUpdate, 2005}, // refresh + one write per key
		{PhaseDestroy, 2005},
	} {
		if got := MinRequests(tc.phase, 2000, 5); got != tc.want {
			t.Errorf("MinRequests(%s, 2000, 5) = %d, want %d", tc.phase, got, tc.want)
		}
	}
}

func TestRowFinish(t *testing.T) {
	r := Row{
		N: 500, Phase: PhaseUpdate, Seconds: 6, TerraformFloorSeconds: 4, ServerFloorSeconds: 1,
		Requests: intp(1010), MinRequests: 505,
		ProviderCPUSeconds: 1.5, ProviderProcesses: 2, FrameworkFloorProviderCPUSeconds: 1, FrameworkFloorProviderProcesses: 2,
	}.Finish()
	if r.ProviderCPURatio == nil {
		t.Fatal("no provider CPU ratio with both provider CPU times measured")
	}
	for name, c := range map[string]struct{ got, want float64 }{
		"ratio":                                   {r.Ratio, 1.2},
		"request ratio":                           {*r.RequestRatio, 2},
		"ms per key":                              {r.MsPerKey, 12},
		"terraform floor ms per key":              {r.TerraformFloorMsPerKey, 8},
		"server floor ms per key":                 {r.ServerFloorMsPerKey, 2},
		"provider CPU ratio":                      {*r.ProviderCPURatio, 1.5},
		"provider CPU ms per key":                 {r.ProviderCPUMsPerKey, 3},
		"framework floor provider CPU ms per key": {r.FrameworkFloorProviderCPUMsPerKey, 2},
	} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, c.got, c.want)
		}
	}

	r = Row{N: 100, Phase: PhaseCreate, Writes: intp(125), LockAnswers: intp(25), ServerFloorWrites: intp(110), ServerFloorLockAnswers: intp(10)}.Finish()
	if r.LockShare == nil || *r.LockShare != 0.2 || r.ServerFloorLockShare == nil || math.Abs(*r.ServerFloorLockShare-1.0/11) > 1e-12 {
		t.Errorf("lock shares %v, %v; want 25/125 and 10/110", r.LockShare, r.ServerFloorLockShare)
	}
	// A plan makes no write: no share.
	if q := (Row{N: 1, Writes: intp(0), LockAnswers: intp(0)}).Finish().LockShare; q != nil {
		t.Errorf("lock share %v without writes, want nil", *q)
	}

	// Against a real server requests are not counted: no request ratio,
	// and null (not 0) in the results file.
	r = Row{N: 100, Phase: PhasePlan, Seconds: 1, TerraformFloorSeconds: 1, MinRequests: 5}.Finish()
	if r.RequestRatio != nil {
		t.Errorf("request ratio = %v without a request count, want nil", *r.RequestRatio)
	}
	// Nor a provider CPU ratio without both provider CPU times.
	if r.ProviderCPURatio != nil {
		t.Errorf("provider CPU ratio = %v without provider CPU times, want nil", *r.ProviderCPURatio)
	}
	if q := (Row{N: 1, ProviderCPUSeconds: 1, ProviderProcesses: 1}).Finish().ProviderCPURatio; q != nil {
		t.Errorf("provider CPU ratio = %v without the framework floor's, want nil", *q)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"requests":null`, `"request_ratio":null`, `"peak_rss_bytes":null`, `"ratio":1`,
		`"framework_floor_seconds":0`, `"framework_floor_provider_cpu_seconds":0`, `"framework_floor_peak_rss_bytes":null`,
		`"provider_cpu_ratio":null`, `"writes":null`, `"lock_answers":null`, `"lock_share":null`, `"peak_writes_in_flight":null`,
		`"server_floor_writes":null`, `"server_floor_lock_answers":null`, `"server_floor_lock_share":null`, `"check":null`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
}

func TestGrowth(t *testing.T) {
	rows := []Row{
		{N: 2000, Phase: PhaseCreate, Seconds: 40}, // 20 ms/key
		{N: 100, Phase: PhaseCreate, Seconds: 4},   // 40 ms/key
		{N: 500, Phase: PhaseCreate, Seconds: 12},
		{N: 100, Phase: PhasePlan, Seconds: 1}, // 10 ms/key
		{N: 2000, Phase: PhasePlan, Seconds: 60},
		{N: 100, Phase: PhaseUpdate, Seconds: 1}, // a single N: no growth
	}
	for i := range rows {
		rows[i] = rows[i].Finish()
	}
	g := Growth(rows, oursPerKey)
	if math.Abs(g[PhaseCreate]-0.5) > 1e-9 || math.Abs(g[PhasePlan]-3) > 1e-9 {
		t.Errorf("Growth = %v, want create 0.5 and plan 3", g)
	}
	if _, ok := g[PhaseUpdate]; ok {
		t.Errorf("Growth has update with a single N: %v", g)
	}
	rows[0].TerraformFloorSeconds, rows[1].TerraformFloorSeconds = 20, 4
	rows[0].ProviderCPUSeconds, rows[1].ProviderCPUSeconds = 2, 1
	for i := range rows {
		rows[i] = rows[i].Finish()
	}
	if f := Growth(rows, floorPerKey)[PhaseCreate]; math.Abs(f-0.25) > 1e-9 {
		t.Errorf("floor growth of create = %v, want 0.25 (10 ms/key, then 40)", f)
	}
	if c := Growth(rows, providerCPUPerKey)[PhaseCreate]; math.Abs(c-0.1) > 1e-9 {
		t.Errorf("provider CPU growth of create = %v, want 0.1 (1 ms/key, then 10)", c)
	}
	if g := Growth(rows, frameworkCPUPerKey); len(g) != 0 {
		t.Errorf("framework floor growth %v without a framework floor, want none", g)
	}
	rows[0].FrameworkFloorProviderCPUSeconds, rows[1].FrameworkFloorProviderCPUSeconds = 4, 0.5
	if c := Growth(rows, frameworkCPUPerKey)[PhaseCreate]; math.Abs(c-0.4) > 1e-9 {
		t.Errorf("framework floor provider CPU growth of create = %v, want 0.4 (5 ms/key, then 2)", c)
	}
}

func TestWriteTable(t *testing.T) {
	rows := []Row{
		Row{N: 100, Phase: PhaseCreate, Seconds: 2.5, TerraformFloorSeconds: 2, ServerFloorSeconds: 0.5,
			Requests: intp(140), ServerFloorRequests: intp(112), MinRequests: 100, PeakRSSBytes: int64p(40 << 20),
			Writes: intp(140), LockAnswers: intp(40), PeakWritesInFlight: intp(10), ServerFloorWrites: intp(112), ServerFloorLockAnswers: intp(12),
			Check:              &Check{Want: 100, State: 100, Server: 100},
			ProviderCPUSeconds: 0.3, ProviderProcesses: 3, FrameworkFloorSeconds: 2.25, FrameworkFloorCPUSeconds: 1.4,
			FrameworkFloorProviderCPUSeconds: 0.2, FrameworkFloorProviderProcesses: 3, FrameworkFloorPeakRSSBytes: int64p(30 << 20)}.Finish(),
		Row{N: 500, Phase: PhaseCreate, Seconds: 10, TerraformFloorSeconds: 8, ServerFloorSeconds: 1,
			MinRequests: 500, ProviderCPUSeconds: 1.2, ProviderProcesses: 3,
			Check: &Check{Want: 500, State: 500, Server: 499, Missing: 1}}.Finish(),
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if len(lines) < 5 {
		t.Fatalf("table too short:\n%s", buf.String())
	}
	for i, want := range [][]string{
		{"N", "phase", "check", "ours s", "locks", "lock %", "peak writes", "srv locks", "srv lock %", "ratio", "fw floor s", "req ratio",
			"ms/key", "prov CPU s", "fw floor CPU s", "fw floor prov CPU s", "peak RSS MiB", "fw floor RSS MiB"},
		{"100", "create", " ok ", "2.50", "40/140", "28.6", " 10 ", "12/112", "10.7", "1.00", "2.25", "140", "1.40", "25.00", "0.30", "1.4",
			"0.20", "40.0", "30.0"},
		{"500", "create", "FAIL: server 499 of 500, 1 missing", "10.00", "1.11", "n/a", "20.00"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d %q lacks %q", i, lines[i], w)
			}
		}
	}
	// Row 2 has no request, write or lock count and no memory figures.
	if strings.Count(lines[2], "n/a") != 9 {
		t.Errorf("line 2 %q: want n/a for requests, request ratio, locks, lock %%, peak writes, the server floor's locks and "+
			"lock %% and both peak RSS", lines[2])
	}
	for _, want := range []string{
		"provider CPU per key: ours / framework floor\n",
		"  N=100    create  3.000 ms / 2.000 ms = 1.50\n",
		"  N=500    create  n/a\n",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "create  ours 0.80, terraform floor 0.80, provider CPU 0.80, framework floor provider CPU n/a\n") {
		t.Errorf("growth line missing or wrong (20/25 ms per key = 0.80, 2.4/3 ms of provider CPU per key = 0.80, "+
			"no framework floor at the largest N):\n%s", buf.String())
	}
}

func TestBusy(t *testing.T) {
	l := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		start, end *float64
		want       bool
	}{
		{nil, nil, false},
		{l(0.5), l(1.9), false},
		{l(0.5), l(2.5), true},
		{l(9), nil, true},
	} {
		r := &Report{CPUs: 2, LoadStart: tc.start, LoadEnd: tc.end}
		if got := r.Busy(); got != tc.want {
			t.Errorf("Busy() with loads %v, %v on 2 CPUs = %v, want %v", tc.start, tc.end, got, tc.want)
		}
	}
}

// Of two repetitions, each of ours and the floors keeps its shortest wall
// time (with the CPU and requests measured with it); the peak memory is the
// largest of all.
func TestKeepBest(t *testing.T) {
	rss := func(v int64) *int64 { return &v }
	reqs := func(v int) *int { return &v }
	first := Row{Seconds: 10, CPUSeconds: 9, Requests: reqs(100), ProviderCPUSeconds: 3, PeakRSSBytes: rss(50),
		Writes: reqs(120), LockAnswers: reqs(20), PeakWritesInFlight: reqs(10), Check: &Check{Want: 1},
		ServerFloorWrites: reqs(105), ServerFloorLockAnswers: reqs(5),
		TerraformFloorSeconds: 4, TerraformFloorCPUSeconds: 4, ProtocolFloorSeconds: 5, ServerFloorSeconds: 1,
		FrameworkFloorSeconds: 7, FrameworkFloorCPUSeconds: 5, FrameworkFloorProviderCPUSeconds: 2, FrameworkFloorProviderProcesses: 3,
		FrameworkFloorPeakRSSBytes: rss(20)}
	second := Row{Seconds: 8, CPUSeconds: 7, Requests: reqs(101), ProviderCPUSeconds: 2, PeakRSSBytes: rss(40),
		Writes: reqs(130), LockAnswers: reqs(30), PeakWritesInFlight: reqs(9), Check: &Check{Want: 2},
		ServerFloorWrites: reqs(108), ServerFloorLockAnswers: reqs(8),
		TerraformFloorSeconds: 6, TerraformFloorCPUSeconds: 6, ProtocolFloorSeconds: 3, ProtocolFloorCPUSeconds: 3, ServerFloorSeconds: 2,
		FrameworkFloorSeconds: 6, FrameworkFloorCPUSeconds: 4, FrameworkFloorProviderCPUSeconds: 1.5, FrameworkFloorProviderProcesses: 2,
		FrameworkFloorPeakRSSBytes: rss(30)}
	got := keepBest(first, second)
	if got.Seconds != 8 || got.CPUSeconds != 7 || *got.Requests != 101 || got.ProviderCPUSeconds != 2 ||
		*got.Writes != 130 || *got.LockAnswers != 30 || *got.PeakWritesInFlight != 9 || got.Check.Want != 2 {
		t.Errorf("ours: %+v, want the second repetition's", got)
	}
	if *got.ServerFloorWrites != 105 || *got.ServerFloorLockAnswers != 5 {
		t.Errorf("server floor writes %d, lock answers %d: want the first's (105, 5)", *got.ServerFloorWrites, *got.ServerFloorLockAnswers)
	}
	if *got.PeakRSSBytes != 50 {
		t.Errorf("peak RSS %d, want the largest (50)", *got.PeakRSSBytes)
	}
	if got.TerraformFloorSeconds != 4 || got.TerraformFloorCPUSeconds != 4 {
		t.Errorf("terraform floor %v/%v, want the first's (4/4)", got.TerraformFloorSeconds, got.TerraformFloorCPUSeconds)
	}
	if got.ProtocolFloorSeconds != 3 || got.ProtocolFloorCPUSeconds != 3 || got.ServerFloorSeconds != 1 {
		t.Errorf("protocol floor %v, server floor %v: want 3 and 1", got.ProtocolFloorSeconds, got.ServerFloorSeconds)
	}
	if got.FrameworkFloorSeconds != 6 || got.FrameworkFloorCPUSeconds != 4 || got.FrameworkFloorProviderCPUSeconds != 1.5 ||
		got.FrameworkFloorProviderProcesses != 2 {
		t.Errorf("framework floor %v s, CPU %v, provider CPU %v in %d processes: want the second's (6, 4, 1.5, 2)",
			got.FrameworkFloorSeconds, got.FrameworkFloorCPUSeconds, got.FrameworkFloorProviderCPUSeconds, got.FrameworkFloorProviderProcesses)
	}
	if *got.FrameworkFloorPeakRSSBytes != 30 {
		t.Errorf("framework floor peak RSS %d, want the largest (30)", *got.FrameworkFloorPeakRSSBytes)
	}
	// The first repetition's framework floor is measured when the second's
	// is not (a failed read of the usage records leaves it nil).
	second.FrameworkFloorPeakRSSBytes = nil
	if got := keepBest(first, second); *got.FrameworkFloorPeakRSSBytes != 20 {
		t.Errorf("framework floor peak RSS %d, want the only one measured (20)", *got.FrameworkFloorPeakRSSBytes)
	}
}

func TestMinVirtualKeyRequests(t *testing.T) {
	for _, c := range []struct {
		p    Phase
		n    int
		want int
	}{
		{PhaseCreate, 100, 100}, // N POST
		{PhasePlan, 100, 1},     // one list serves every read
		{PhasePlan, 500, 1},
		{PhaseUpdate, 100, 201},  // 1 list (refresh) + N GET + N PUT
		{PhaseDestroy, 500, 501}, // 1 list (refresh) + N DELETE
	} {
		if got := MinVirtualKeyRequests(c.p, c.n); got != c.want {
			t.Errorf("MinVirtualKeyRequests(%s, %d) = %d, want %d", c.p, c.n, got, c.want)
		}
	}
	for _, c := range [][3]string{
		{"GET", "/api/governance/virtual-keys", "GET /api/governance/virtual-keys"},
		{"PUT", "/api/governance/virtual-keys/3f2c-9a", "PUT /api/governance/virtual-keys/{id}"},
		{"DELETE", "/api/governance/virtual-keys/abc", "DELETE /api/governance/virtual-keys/{id}"},
		{"GET", "/api/providers/openai/keys?x=1", "GET /api/providers/openai/keys"},
		{"PUT", "/api/providers/openai/keys/k-1", "PUT /api/providers/openai/keys/{id}"},
		{"GET", "/api/version", "GET /api/version"},
	} {
		if got := requestClass(c[0], c[1]); got != c[2] {
			t.Errorf("requestClass(%s, %s) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestWriteTableVirtualKeys(t *testing.T) {
	rows := []Row{
		Row{N: 100, Phase: PhaseCreate, Resource: ResourceKey, Seconds: 2, MinRequests: 100}.Finish(),
		Row{N: 100, Phase: PhasePlan, Resource: ResourceVirtualKey, Seconds: 1.5, ServerFloorSeconds: 0.5,
			Requests: intp(1), ServerFloorRequests: intp(1), MinRequests: MinVirtualKeyRequests(PhasePlan, 100),
			RequestsByClass: map[string]int{"GET /api/governance/virtual-keys": 1}, Check: &Check{Want: 100, State: 100, Server: 100}}.Finish(),
		Row{N: 500, Phase: PhasePlan, Resource: ResourceVirtualKey, Seconds: 6, ServerFloorSeconds: 1,
			MinRequests: 1}.Finish(),
	}
	if r := rows[1]; r.Ratio != 3 || r.ProtocolRatio != 0 || r.RequestRatio == nil || *r.RequestRatio != 1 {
		t.Errorf("virtual key row: ratio %v (want ours / server floor = 3), protocol ratio %v (want 0), request ratio %v",
			r.Ratio, r.ProtocolRatio, floatOrNA(r.RequestRatio))
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rows); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	keys, vks, ok := strings.Cut(out, "virtual keys (bifrost_virtual_key), against the server floor:\n")
	if !ok || !strings.Contains(keys, " create ") || strings.Contains(keys, "plan") {
		t.Fatalf("want the key rows, then the virtual key table:\n%s", out)
	}
	lines := strings.Split(vks, "\n")
	for i, want := range [][]string{
		{"N", "phase", "check", "ours s", "srv floor s", "ratio", "requests", "min", "req ratio", "srv requests", "ms/key"},
		{"100", "plan", " ok ", "1.50", "0.50", "3.00", " 1 ", "1.00", "15.00"},
		{"500", "plan", "n/a", "6.00", "1.00", "6.00", "12.00"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d %q lacks %q", i, lines[i], w)
			}
		}
	}
	for _, want := range []string{
		"  N=100    plan    GET /api/governance/virtual-keys 1\n",
		"  N=500    plan    n/a\n",
		"  plan    ours 0.80\n", // 12 / 15 ms per key
	} {
		if !strings.Contains(vks, want) {
			t.Errorf("virtual key output lacks %q:\n%s", want, vks)
		}
	}
}
