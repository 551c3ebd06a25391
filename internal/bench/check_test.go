package bench

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

var testProviders = []string{"openai", "anthropic"}

// consistent returns the state and the server keys of a workspace of n
// keys that hold exactly the configuration, with the given weight.
func consistent(prefix string, n int, weight float64) ([]stateKey, []serverKey) {
	var state []stateKey
	var server []serverKey
	for i := range n {
		id := fmt.Sprintf("id-%d", i)
		state = append(state, stateKey{Index: i, ID: id, Name: keyName(prefix, i), Provider: keyProvider(testProviders, i)})
		server = append(server, serverKey{ID: id, Name: keyName(prefix, i), Provider: keyProvider(testProviders, i), Weight: weight})
	}
	return state, server
}

func TestCheckKeys(t *testing.T) {
	const prefix = "bench-x-4-tf"
	// Keys of other workspaces and of the user are not the workspace's.
	others := []serverKey{{ID: "o1", Name: "bench-x-4-data-0", Provider: "openai"}, {ID: "o2", Name: "bench-x-40-tf-0", Provider: "openai"},
		{ID: "o3", Name: "mine", Provider: "anthropic"}}
	for _, tc := range []struct {
		name   string
		want   int
		weight float64
		edit   func(state []stateKey, server []serverKey) ([]stateKey, []serverKey)
		check  Check
	}{
		{"after create", 4, weightBefore, nil, Check{Want: 4, State: 4, Server: 4}},
		{"after destroy", 0, weightBefore, func([]stateKey, []serverKey) ([]stateKey, []serverKey) { return nil, nil }, Check{}},
		{"a create refused, not retried", 4, weightBefore, func(st []stateKey, sv []serverKey) ([]stateKey, []serverKey) {
			return st[:3], sv[:3]
		}, Check{Want: 4, State: 3, Server: 3, Missing: 1}},
		{"a create stored, answered as failed", 4, weightBefore, func(st []stateKey, sv []serverKey) ([]stateKey, []serverKey) {
			return st[:3], sv
		}, Check{Want: 4, State: 3, Server: 4, Missing: 1, Orphans: 1}},
		{"a create stored twice", 4, weightBefore, func(st []stateKey, sv []serverKey) ([]stateKey, []serverKey) {
			return st, append(sv, serverKey{ID: "again", Name: sv[2].Name, Provider: sv[2].Provider, Weight: weightBefore})
		}, Check{Want: 4, State: 4, Server: 5, Orphans: 1, Duplicates: 1}},
		{"a key lost on the server", 4, weightBefore, func(st []stateKey, sv []serverKey) ([]stateKey, []serverKey) {
			return st, sv[1:]
		}, Check{Want: 4, State: 4, Server: 3, Missing: 1}},
		{"a key on the wrong provider", 4, weightBefore, func(st []stateKey, sv []serverKey) ([]stateKey, []serverKey) {
			sv[1].Provider = "openai"
			return st, sv
		}, Check{Want: 4, State: 4, Server: 4, Missing: 1}},
		{"an update refused, not retried", 4, weightAfter, func(st []stateKey, sv []serverKey) ([]stateKey, []serverKey) {
			for i := range sv[1:] {
				sv[1+i].Weight = weightAfter
			}
			return st, sv
		}, Check{Want: 4, State: 4, Server: 4, Stale: 1}},
		{"a delete refused, not retried", 0, weightAfter, func(st []stateKey, sv []serverKey) ([]stateKey, []serverKey) {
			return nil, sv[:1]
		}, Check{Want: 0, Server: 1, Orphans: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			state, server := consistent(prefix, 4, weightBefore)
			if tc.edit != nil {
				state, server = tc.edit(state, server)
			}
			got := checkKeys(prefix, testProviders, tc.want, tc.weight, state, append(server, others...))
			if got != tc.check {
				t.Errorf("checkKeys = %+v, want %+v", got, tc.check)
			}
			if ok := tc.check == (Check{Want: tc.want, State: tc.want, Server: tc.want}); got.OK() != ok {
				t.Errorf("OK() = %v, want %v", got.OK(), ok)
			}
		})
	}
}

func TestCheckSummary(t *testing.T) {
	var none *Check
	for _, tc := range []struct {
		c    *Check
		want string
	}{
		{none, "n/a"},
		{&Check{Want: 10, State: 10, Server: 10}, "ok"},
		{&Check{}, "ok"},
		{&Check{Want: 10, State: 9, Server: 11, Missing: 1, Orphans: 2, Duplicates: 1, Stale: 3},
			"FAIL: state 9 of 10, server 11 of 10, 1 missing, 2 orphans, 1 duplicates, 3 stale"},
	} {
		if got := tc.c.Summary(); got != tc.want {
			t.Errorf("Summary(%+v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}

func TestParseState(t *testing.T) {
	state := `{"version":4,"resources":[
	  {"mode":"data","type":"bifrost_provider_key","name":"d","instances":[{"attributes":{"id":"x"}}]},
	  {"mode":"managed","type":"terraform_data","name":"k","instances":[{"index_key":0,"attributes":{"id":"y"}}]},
	  {"mode":"managed","type":"bifrost_provider_key","name":"k","instances":[
	    {"index_key":0,"attributes":{"id":"a","name":"p-0","provider_name":"openai","weight":1}},
	    {"index_key":1,"attributes":{"id":"b","name":"p-1","provider_name":"anthropic","weight":1}}]}]}`
	got, err := parseState([]byte(state))
	if err != nil {
		t.Fatal(err)
	}
	want := []stateKey{{0, "a", "p-0", "openai"}, {1, "b", "p-1", "anthropic"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("parseState = %+v, want %+v", got, want)
	}
	if got, err := parseState([]byte(`{"version":4,"resources":[]}`)); err != nil || len(got) != 0 {
		t.Errorf("empty state: %v, %v", got, err)
	}
	if _, err := parseState([]byte("{")); err == nil {
		t.Error("a broken state was read")
	}
}

// The session's check reads the workspace's state from the http backend and
// the keys from the emulator's store.
func TestSessionCheck(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{Providers: testProviders})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	states, err := startStateServer()
	if err != nil {
		t.Fatal(err)
	}
	defer states.close()
	s := &session{opts: Options{Providers: testProviders}, emu: emu, states: states}
	ws := &workspace{s: s, n: 2, prefix: "bench-x-2-tf"}

	if c, err := s.check(context.Background(), ws, PhaseCreate); err != nil || c != (Check{Want: 2, Missing: 2}) {
		t.Errorf("before any state: %+v, %v", c, err)
	}
	var instances []string
	for i := range 2 {
		body := fmt.Sprintf(`{"id":"id-%d","name":%q,"value":"sk-123456789","weight":0.5}`, i, keyName(ws.prefix, i))
		resp, err := httpPost(emu.URL()+"/api/providers/"+keyProvider(testProviders, i)+"/keys", body)
		if err != nil || resp != 200 {
			t.Fatalf("creating key %d: %d %v", i, resp, err)
		}
		instances = append(instances, fmt.Sprintf(`{"index_key":%d,"attributes":{"id":"id-%d","name":%q,"provider_name":%q}}`,
			i, i, keyName(ws.prefix, i), keyProvider(testProviders, i)))
	}
	if _, err := httpPost(states.address(ws.prefix), `{"resources":[{"mode":"managed","type":"bifrost_provider_key","name":"k","instances":[`+
		strings.Join(instances, ",")+`]}]}`); err != nil {
		t.Fatal(err)
	}
	if c, err := s.check(context.Background(), ws, PhaseUpdate); err != nil || !c.OK() || c.Server != 2 {
		t.Errorf("after update: %+v, %v", c, err)
	}
	// Before the update the weight was another.
	if c, err := s.check(context.Background(), ws, PhasePlan); err != nil || c.Stale != 2 {
		t.Errorf("with the weight of before: %+v, %v", c, err)
	}
	if c, err := s.check(context.Background(), ws, PhaseDestroy); err != nil || c != (Check{State: 2, Server: 2}) || c.OK() {
		t.Errorf("keys left after destroy: %+v, %v", c, err)
	}
}

// httpPost posts a JSON body and returns the status.
func httpPost(url, body string) (int, error) {
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// With the local backend the state is the workspace's terraform.tfstate.
func TestSessionCheckLocalBackend(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{Providers: testProviders})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	s := &session{opts: Options{Providers: testProviders}, emu: emu}
	ws := &workspace{s: s, dir: t.TempDir(), n: 1, prefix: "bench-x-1-tf"}
	if c, err := s.check(context.Background(), ws, PhaseDestroy); err != nil || !c.OK() {
		t.Errorf("no state, no key, nothing wanted: %+v, %v", c, err)
	}
	state := `{"resources":[{"mode":"managed","type":"bifrost_provider_key","name":"k","instances":[` +
		`{"index_key":0,"attributes":{"id":"gone","name":"bench-x-1-tf-0","provider_name":"openai"}}]}]}`
	if err := os.WriteFile(filepath.Join(ws.dir, "terraform.tfstate"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err := s.check(context.Background(), ws, PhaseCreate); err != nil || c != (Check{Want: 1, State: 1, Missing: 1}) {
		t.Errorf("a key of the state the server lacks: %+v, %v", c, err)
	}
}

// counted counts the requests, the writes and the lock answers of what it
// runs, also when that fails.
func TestCounted(t *testing.T) {
	emu, err := emulator.Start(emulator.Options{Providers: testProviders})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	s := &session{emu: emu}
	_, _ = httpPost(emu.URL()+"/api/providers/openai/keys", `{"name":"before","value":"sk-123456789"}`)
	emu.LockWrites(1, 1)
	_, tr, err := s.counted(func() (time.Duration, error) {
		for i := range 3 {
			if status, err := httpPost(emu.URL()+"/api/providers/openai/keys", fmt.Sprintf(`{"name":"k%d","value":"sk-123456789"}`, i)); err != nil || status != 500 {
				t.Errorf("create %d: %d %v", i, status, err)
			}
		}
		resp, err := http.Get(emu.URL() + "/api/providers/openai/keys")
		if err == nil {
			resp.Body.Close()
		}
		return time.Second, errors.New("failed")
	})
	if err == nil || *tr.requests != 4 || *tr.writes != 3 || *tr.locked != 3 || *tr.peakWrites != 1 {
		t.Errorf("counted: %v, requests %d, writes %d, locked %d, peak %d; want an error, 4, 3, 3, 1",
			err, *tr.requests, *tr.writes, *tr.locked, *tr.peakWrites)
	}
	if want := map[string]int{"POST /api/providers/openai/keys": 3, "GET /api/providers/openai/keys": 1}; !maps.Equal(tr.classes, want) {
		t.Errorf("counted classes = %v, want %v", tr.classes, want)
	}
	// Against a real server nothing is counted.
	if _, tr, _ := (&session{}).counted(func() (time.Duration, error) { return 0, nil }); tr.requests != nil || tr.writes != nil ||
		tr.locked != nil || tr.peakWrites != nil || tr.classes != nil {
		t.Errorf("counted without the emulator: %+v", tr)
	}
}
