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
	}.Finish()
	for name, c := range map[string]struct{ got, want float64 }{
		"ratio":                      {r.Ratio, 1.2},
		"request ratio":              {*r.RequestRatio, 2},
		"ms per key":                 {r.MsPerKey, 12},
		"terraform floor ms per key": {r.TerraformFloorMsPerKey, 8},
		"server floor ms per key":    {r.ServerFloorMsPerKey, 2},
	} {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, c.got, c.want)
		}
	}

	// Against a real server requests are not counted: no request ratio,
	// and null (not 0) in the results file.
	r = Row{N: 100, Phase: PhasePlan, Seconds: 1, TerraformFloorSeconds: 1, MinRequests: 5}.Finish()
	if r.RequestRatio != nil {
		t.Errorf("request ratio = %v without a request count, want nil", *r.RequestRatio)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"requests":null`, `"request_ratio":null`, `"peak_rss_bytes":null`, `"ratio":1`} {
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
}

func TestWriteTable(t *testing.T) {
	rows := []Row{
		Row{N: 100, Phase: PhaseCreate, Seconds: 2.5, TerraformFloorSeconds: 2, ServerFloorSeconds: 0.5,
			Requests: intp(100), ServerFloorRequests: intp(100), MinRequests: 100, PeakRSSBytes: int64p(40 << 20)}.Finish(),
		Row{N: 500, Phase: PhaseCreate, Seconds: 10, TerraformFloorSeconds: 8, ServerFloorSeconds: 1,
			MinRequests: 500}.Finish(),
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
		{"N", "phase", "ours s", "ratio", "req ratio", "ms/key", "prov CPU s", "peak RSS MiB"},
		{"100", "create", "2.50", "1.00", "100", "25.00", "40.0"},
		{"500", "create", "10.00", "1.11", "n/a", "20.00"},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("line %d %q lacks %q", i, lines[i], w)
			}
		}
	}
	// Row 2 has no request count and no memory figure.
	if strings.Count(lines[2], "n/a") != 3 {
		t.Errorf("line 2 %q: want n/a for requests, request ratio and peak RSS", lines[2])
	}
	if !strings.Contains(buf.String(), "create  ours 0.80, terraform floor 0.80, provider CPU n/a") {
		t.Errorf("growth line missing or wrong (20/25 ms per key = 0.80):\n%s", buf.String())
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
		TerraformFloorSeconds: 4, TerraformFloorCPUSeconds: 4, ProtocolFloorSeconds: 5, ServerFloorSeconds: 1}
	second := Row{Seconds: 8, CPUSeconds: 7, Requests: reqs(101), ProviderCPUSeconds: 2, PeakRSSBytes: rss(40),
		TerraformFloorSeconds: 6, TerraformFloorCPUSeconds: 6, ProtocolFloorSeconds: 3, ProtocolFloorCPUSeconds: 3, ServerFloorSeconds: 2}
	got := keepBest(first, second)
	if got.Seconds != 8 || got.CPUSeconds != 7 || *got.Requests != 101 || got.ProviderCPUSeconds != 2 {
		t.Errorf("ours: %+v, want the second repetition's", got)
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
}
