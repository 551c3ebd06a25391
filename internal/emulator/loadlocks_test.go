package emulator

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The lock answers of the real server (semantics.md, "Concurrency").
const (
	lockedCreate = "Failed to create provider key: failed to create provider key in store: database is locked"
	lockedUpdate = "Failed to update provider key: failed to update provider key in store: database is locked"
	lockedDelete = "Failed to delete provider key: failed to delete provider key in store: database is locked"
)

// harsh refuses every write that meets another one in flight.
var harsh = &LoadLocks{Free: 0, Slope: 1, Max: 1, Seed: 3}

func TestLoadLocksProbability(t *testing.T) {
	l := LoadLocks{Free: 2, Slope: 0.1, Max: 0.35}
	for others, want := range []float64{0, 0, 0, 0.1, 0.2, 0.3, 0.35, 0.35} {
		if got := l.Probability(others); got < want-1e-12 || got > want+1e-12 {
			t.Errorf("Probability(%d) = %v, want %v", others, got, want)
		}
	}
	if p := DefaultLoadLocks.Probability(0); p != 0 {
		t.Errorf("default: a write alone is refused with probability %v", p)
	}
	if p := DefaultLoadLocks.Probability(1); p != 0 {
		t.Errorf("default: a write with one other is refused with probability %v", p)
	}
	if p := DefaultLoadLocks.Probability(9); p < 0.2 || p > 0.3 {
		t.Errorf("default at parallelism 10: %v, want the real server's 20-30 %%", p)
	}
	if p := DefaultLoadLocks.Probability(1000); p != DefaultLoadLocks.Max {
		t.Errorf("default under any load: %v, want the cap %v", p, DefaultLoadLocks.Max)
	}
}

func TestParseLoadLocks(t *testing.T) {
	for _, spec := range []string{"", "off", " off "} {
		if l, err := ParseLoadLocks(spec); l != nil || err != nil {
			t.Errorf("ParseLoadLocks(%q) = %v, %v; want off", spec, l, err)
		}
	}
	if l, err := ParseLoadLocks("on"); err != nil || *l != DefaultLoadLocks {
		t.Errorf(`ParseLoadLocks("on") = %v, %v`, l, err)
	}
	l, err := ParseLoadLocks("slope=0.05, max=0.8")
	if err != nil || *l != (LoadLocks{Free: DefaultLoadLocks.Free, Slope: 0.05, Max: 0.8, Seed: DefaultLoadLocks.Seed,
		Hold: DefaultLoadLocks.Hold, Busy: DefaultLoadLocks.Busy}) {
		t.Errorf("overrides: %v, %v", l, err)
	}
	if back, err := ParseLoadLocks(l.String()); err != nil || *back != *l {
		t.Errorf("String %q reads back as %v, %v", l.String(), back, err)
	}
	for _, bad := range []string{"slope", "slope=x", "free=-1", "max=1.5", "speed=2", "on,max=1"} {
		if _, err := ParseLoadLocks(bad); err == nil {
			t.Errorf("ParseLoadLocks(%q) accepted", bad)
		}
	}
}

func TestLockUnderLoadRejectsNonProbabilities(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Max 2 accepted")
		}
	}()
	New(Options{LoadLocks: &LoadLocks{Slope: 1, Max: 2}})
}

// answer is what a client got.
type answer struct {
	status int
	body   string
}

// contend sends n requests at once, request i being method path(i) with
// body(i), and returns the answers by i. The Server holds every write as it
// arrives until all n are in flight, then lets them go together: every one
// of them meets all the others, and the j-th to reach the store meets at
// least n-1-j (only the j before it can have finished).
func contend(t *testing.T, s *Server, n int, method string, path, body func(i int) string) []answer {
	t.Helper()
	var arrived sync.WaitGroup
	arrived.Add(n)
	gate := make(chan struct{})
	s.mu.Lock()
	s.load.entered = func() { arrived.Done(); <-gate }
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.load.entered = nil
		s.mu.Unlock()
	}()
	out := make([]answer, n)
	errs := make([]error, n)
	var done sync.WaitGroup
	for i := range n {
		done.Go(func() {
			req, err := http.NewRequest(method, s.URL()+path(i), strings.NewReader(body(i)))
			if err != nil {
				errs[i] = err
				return
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			out[i], errs[i] = answer{resp.StatusCode, string(b)}, err
		})
	}
	arrived.Wait()
	close(gate)
	done.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	return out
}

// tally checks that every answer is 200 or the lock answer lockMsg and
// returns which were locked.
func tally(t *testing.T, answers []answer, lockMsg string) []bool {
	t.Helper()
	locked := make([]bool, len(answers))
	for i, a := range answers {
		switch {
		case a.status == 200:
		case a.status == 500 && a.body == errBody(500, lockMsg):
			locked[i] = true
		default:
			t.Errorf("answer %d: %d %s", i, a.status, a.body)
		}
	}
	return locked
}

func keyBody(i int) string {
	return fmt.Sprintf(`{"id":"id-%d","name":"k%d","value":"sk-123456789"}`, i, i)
}

// checkStats compares s.LockStats with what the clients saw.
func checkStats(t *testing.T, s *Server, method string, writes, locked int) {
	t.Helper()
	st := s.LockStats()
	if st.Writes != writes || st.WritesByMethod[method] != writes || st.Locked != locked || st.LockedByMethod[method] != locked ||
		st.Refused != locked || len(st.LockedByMethod) > 1 {
		t.Errorf("LockStats = %+v, want %d %s writes of which %d locked", st, writes, method, locked)
	}
	n := 0
	for _, r := range s.Requests() {
		if r.Locked {
			n++
		}
	}
	if n != locked {
		t.Errorf("%d requests logged as locked, want %d", n, locked)
	}
}

// A write that meets no other write in flight is never refused, however
// harsh the setting, and reads do not count as writes.
func TestLoadLocksOneAtATime(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai"}, LoadLocks: harsh})
	for i := range 30 {
		if status, body := do(t, s, "POST", "/api/providers/openai/keys", keyBody(i)); status != 200 {
			t.Fatalf("create %d: %d %s", i, status, body)
		}
		do(t, s, "GET", "/api/providers/openai/keys", "")
	}
	for i := range 30 {
		if status, body := do(t, s, "PUT", fmt.Sprintf("/api/providers/openai/keys/id-%d", i), keyBody(i)); status != 200 {
			t.Fatalf("update %d: %d %s", i, status, body)
		}
	}
	st := s.LockStats()
	if st.Writes != 60 || st.Locked != 0 || st.Refused != 0 || st.PeakInFlight != 1 {
		t.Errorf("LockStats = %+v, want 60 writes, none locked, one in flight at a time", st)
	}
	for i := range 30 {
		if status, body := do(t, s, "DELETE", fmt.Sprintf("/api/providers/openai/keys/id-%d", i), ""); status != 200 {
			t.Fatalf("delete %d: %d %s", i, status, body)
		}
	}
	if n := len(s.Keys("openai")); n != 0 {
		t.Errorf("%d keys left", n)
	}
}

// Under contention writes are refused with the real server's answers for
// create, update and delete, and a refused write leaves no trace.
func TestLoadLocksContention(t *testing.T) {
	const n = 40
	s := startServer(t, Options{Providers: []string{"openai"}, LoadLocks: harsh})
	keysPath := func(int) string { return "/api/providers/openai/keys" }
	keyPath := func(i int) string { return fmt.Sprintf("/api/providers/openai/keys/id-%d", i) }

	created := tally(t, contend(t, s, n, "POST", keysPath, keyBody), lockedCreate)
	// Every write met at least one other until only one was left.
	if c := count(created); c < n-1 {
		t.Errorf("%d of %d concurrent creates locked, want at least %d", c, n, n-1)
	}
	checkStats(t, s, "POST", n, count(created))
	if p := s.LockStats().PeakInFlight; p != n {
		t.Errorf("peak in flight %d, want %d", p, n)
	}
	stored := map[string]bool{}
	for _, k := range s.Keys("openai") {
		stored[k.ID] = true
	}
	for i, locked := range created {
		if stored[fmt.Sprintf("id-%d", i)] == locked {
			t.Errorf("create %d: locked %v, stored %v", i, locked, !locked)
		}
	}

	// Store the refused keys one at a time, then update and delete all at once.
	for i, locked := range created {
		if locked {
			if status, body := do(t, s, "POST", "/api/providers/openai/keys", keyBody(i)); status != 200 {
				t.Fatalf("create %d alone: %d %s", i, status, body)
			}
		}
	}
	s.ResetRequests()
	renamed := func(i int) string { return fmt.Sprintf(`{"name":"renamed-%d","value":"sk-123456789"}`, i) }
	updated := tally(t, contend(t, s, n, "PUT", keyPath, renamed), lockedUpdate)
	if c := count(updated); c < n-1 {
		t.Errorf("%d of %d concurrent updates locked, want at least %d", c, n, n-1)
	}
	checkStats(t, s, "PUT", n, count(updated))
	names := map[string]string{}
	for _, k := range s.Keys("openai") {
		names[k.ID] = k.Name
	}
	for i, locked := range updated {
		want := fmt.Sprintf("renamed-%d", i)
		if locked {
			want = fmt.Sprintf("k%d", i)
		}
		if got := names[fmt.Sprintf("id-%d", i)]; got != want {
			t.Errorf("key %d named %q after the update (locked %v), want %q", i, got, locked, want)
		}
	}

	s.ResetRequests()
	deleted := tally(t, contend(t, s, n, "DELETE", keyPath, func(int) string { return "" }), lockedDelete)
	if c := count(deleted); c < n-1 {
		t.Errorf("%d of %d concurrent deletes locked, want at least %d", c, n, n-1)
	}
	checkStats(t, s, "DELETE", n, count(deleted))
	left := map[string]bool{}
	for _, k := range s.Keys("openai") {
		left[k.ID] = true
	}
	for i, locked := range deleted {
		if left[fmt.Sprintf("id-%d", i)] != locked {
			t.Errorf("delete %d: locked %v, key left %v", i, locked, !locked)
		}
	}
	if len(left) != count(deleted) {
		t.Errorf("%d keys left, want the %d locked", len(left), count(deleted))
	}

	s.ResetRequests()
	if st := s.LockStats(); st.Writes != 0 || st.Locked != 0 || st.Refused != 0 || st.PeakInFlight != 0 {
		t.Errorf("LockStats after ResetRequests = %+v", st)
	}
}

// With the default setting the share of refused writes follows
// Probability: the draws are those of the seed, and each one's
// probability is bounded by the load it met.
func TestLoadLocksDefaultSetting(t *testing.T) {
	const n = 40
	l := DefaultLoadLocks
	s := startServer(t, Options{Providers: []string{"openai"}, LoadLocks: &l})
	locked := count(tally(t, contend(t, s, n, "POST", func(int) string { return "/api/providers/openai/keys" }, keyBody), lockedCreate))

	// The j-th write to reach the store met at least n-1-j others: from
	// j = 0 to sure, it was refused with probability Max.
	sure := 0
	for sure < n && l.Probability(n-1-sure) == l.Max {
		sure++
	}
	draws := rand.New(rand.NewPCG(uint64(l.Seed), 1))
	low, high := 0, 0
	for j := range n {
		if draws.Float64() < l.Max {
			high++ // no write is refused with a probability above Max
			if j < sure {
				low++
			}
		}
	}
	if locked < low || locked > high {
		t.Errorf("%d of %d concurrent creates locked, want between %d and %d", locked, n, low, high)
	}
	if low < n/4 {
		t.Errorf("the seed makes a weak test: at least %d of %d", low, n)
	}
	checkStats(t, s, "POST", n, locked)
	if got := len(s.Keys("openai")); got != n-locked {
		t.Errorf("%d keys stored, want %d", got, n-locked)
	}
}

// A write holds its slot during the configured latency.
func TestLoadLocksLatencyIsInFlight(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai"}})
	s.SetLatency(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, "POST", s.URL()+"/api/providers/openai/keys", strings.NewReader(keyBody(i)))
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		})
	}
	waitInFlight := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			s.mu.Lock()
			got := s.load.inFlight
			s.mu.Unlock()
			if got == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d writes in flight, want %d", got, want)
			}
		}
	}
	waitInFlight(3)
	cancel()
	wg.Wait()
	waitInFlight(0)
	if st := s.LockStats(); st.PeakInFlight != 3 || st.Writes != 3 {
		t.Errorf("LockStats = %+v, want 3 writes, 3 in flight at once", st)
	}
	if n := len(s.Keys("openai")); n != 0 {
		t.Errorf("%d keys stored by abandoned writes", n)
	}
}

// The fixed share of LockWrites is counted too; a refused provider DELETE
// answers 200, so it is refused but not a lock answer.
func TestLockStatsFixedShare(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai", "anthropic"}})
	s.LockWrites(1, 1)
	if status, body := do(t, s, "POST", "/api/providers/openai/keys", keyBody(0)); status != 500 || body != errBody(500, lockedCreate) {
		t.Errorf("create: %d %s", status, body)
	}
	if status, _ := do(t, s, "DELETE", "/api/providers/anthropic", ""); status != 200 {
		t.Errorf("provider delete: %d", status)
	}
	st := s.LockStats()
	if st.Writes != 2 || st.Locked != 1 || st.LockedByMethod["POST"] != 1 || st.Refused != 2 {
		t.Errorf("LockStats = %+v, want 2 writes, 1 lock answer (POST), 2 refused", st)
	}
	if reqs := s.Requests(); !reqs[0].Locked || reqs[1].Locked {
		t.Errorf("logged as locked: %v, %v", reqs[0].Locked, reqs[1].Locked)
	}
}

// never refuses: for the tests of the store's time alone.
func neverRefused(hold, busy time.Duration) *LoadLocks {
	return &LoadLocks{Free: 1 << 20, Hold: hold, Busy: busy, Seed: 5}
}

// The store takes writes one at a time: n writes that reach it together are
// answered no sooner than n holds after, each stays in flight until its
// answer, and a write alone takes one hold.
func TestLoadLocksStoreHoldSerialises(t *testing.T) {
	const (
		n    = 5
		hold = 60 * time.Millisecond
	)
	s := startServer(t, Options{Providers: []string{"openai"}, LoadLocks: neverRefused(hold, 0)})
	start := time.Now()
	if status, body := do(t, s, "POST", "/api/providers/openai/keys", keyBody(100)); status != 200 {
		t.Fatalf("create alone: %d %s", status, body)
	}
	if d := time.Since(start); d < hold {
		t.Errorf("a write alone was answered after %s, want at least the hold %s", d, hold)
	}
	s.ResetRequests()

	start = time.Now()
	created := tally(t, contend(t, s, n, "POST", func(int) string { return "/api/providers/openai/keys" }, keyBody), lockedCreate)
	if d := time.Since(start); d < n*hold {
		t.Errorf("%d writes at once were all answered after %s, want at least %s (one hold each, one after the other)", n, d, n*hold)
	}
	if c := count(created); c != 0 {
		t.Errorf("%d writes refused by a setting that refuses none", c)
	}
	if st := s.LockStats(); st.PeakInFlight != n || st.Writes != n {
		t.Errorf("LockStats = %+v, want %d writes, all in flight at once", st, n)
	}
	s.mu.Lock()
	inFlight, unclaimed := s.load.inFlight, len(s.load.unclaimed)
	s.mu.Unlock()
	if inFlight != 0 || unclaimed != 0 {
		t.Errorf("after the answers: %d writes in flight, %d decisions unclaimed", inFlight, unclaimed)
	}
	if got := len(s.Keys("openai")); got != n+1 {
		t.Errorf("%d keys stored, want %d", got, n+1)
	}
}

// waitDraws waits until the Server has drawn n decisions.
func waitDraws(t *testing.T, s *Server, n uint64) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		s.mu.Lock()
		got := s.load.draws
		s.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d draws, want %d", got, n)
		}
	}
}

// A refused write does not wait for the store: it is answered at once while
// another write holds the store (SQLite refuses a read transaction's write
// without its busy wait), or after Busy when that is set; the write holding
// the store is answered after its hold.
func TestLoadLocksRefusedWriteDoesNotHold(t *testing.T) {
	const hold = 1500 * time.Millisecond
	for _, busy := range []time.Duration{0, 400 * time.Millisecond} {
		l := &LoadLocks{Free: 0, Slope: 1, Max: 1, Seed: 3, Hold: hold, Busy: busy}
		s := startServer(t, Options{Providers: []string{"openai"}, LoadLocks: l})
		start := time.Now()
		held := make(chan time.Duration, 1)
		go func() {
			req, _ := http.NewRequest("POST", s.URL()+"/api/providers/openai/keys", strings.NewReader(keyBody(0)))
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
			held <- time.Since(start)
		}()
		waitDraws(t, s, 1) // the first write, alone, was taken and holds the store

		refusedAt := time.Now()
		status, body := do(t, s, "POST", "/api/providers/openai/keys", keyBody(1))
		refused := time.Since(refusedAt)
		if status != 500 || body != errBody(500, lockedCreate) {
			t.Fatalf("busy %s: a write meeting one other: %d %s, want the lock answer", busy, status, body)
		}
		if refused < busy || refused > busy+hold/2 {
			t.Errorf("busy %s: the refused write was answered after %s, want %s and well before the hold %s ends", busy, refused, busy, hold)
		}
		if d := <-held; d < hold {
			t.Errorf("busy %s: the write holding the store was answered after %s, want at least %s", busy, d, hold)
		}
		if st := s.LockStats(); st.Writes != 2 || st.Locked != 1 || st.PeakInFlight != 2 {
			t.Errorf("busy %s: LockStats = %+v, want 2 writes, 1 locked, 2 in flight at once", busy, st)
		}
	}
}

// Closing the Server releases the writes waiting for the store.
func TestLoadLocksCloseReleasesHeldWrites(t *testing.T) {
	s := startServer(t, Options{Providers: []string{"openai"}, LoadLocks: neverRefused(time.Hour, 0)})
	done := make(chan struct{})
	go func() {
		defer close(done)
		req, _ := http.NewRequest("POST", s.URL()+"/api/providers/openai/keys", strings.NewReader(keyBody(0)))
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	waitDraws(t, s, 1)
	s.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a write held for an hour at the store kept its client waiting after Close")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		s.mu.Lock()
		inFlight := s.load.inFlight
		s.mu.Unlock()
		if inFlight == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d writes still in flight after Close", inFlight)
		}
	}
}

// The default store time follows the recorded totals of the real server
// (semantics notes, "Concurrency"): the write lock is held about as often
// as writes find it taken, so per write taken it is held for the refused
// share over the writes taken per second; the default is the median of the
// three phases, and a refused write is answered without a busy wait.
func TestDefaultLoadLocksStoreTime(t *testing.T) {
	recorded := []struct {
		refused, attempts int
		seconds           float64
	}{{203, 703, 47.7}, {223, 725, 73.2}, {152, 653, 54.8}} // create, update, destroy of 500 keys
	var holds []float64
	for _, r := range recorded {
		share := float64(r.refused) / float64(r.attempts)
		holds = append(holds, share/(500/r.seconds))
	}
	slices.Sort(holds)
	median := time.Duration(holds[1] * float64(time.Second))
	if d := DefaultLoadLocks.Hold - median; d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("default hold %s, want the recorded median %s", DefaultLoadLocks.Hold, median)
	}
	if DefaultLoadLocks.Busy != 0 {
		t.Errorf("default busy wait %s, want 0: SQLite refuses a read transaction's write at once", DefaultLoadLocks.Busy)
	}
}

func TestParseLoadLocksStoreTime(t *testing.T) {
	l, err := ParseLoadLocks("hold=5ms,busy=1s")
	if err != nil || l.Hold != 5*time.Millisecond || l.Busy != time.Second || l.Slope != DefaultLoadLocks.Slope {
		t.Fatalf("ParseLoadLocks(hold, busy) = %+v, %v", l, err)
	}
	if back, err := ParseLoadLocks(l.String()); err != nil || *back != *l {
		t.Errorf("String %q reads back as %v, %v", l.String(), back, err)
	}
	if l, err := ParseLoadLocks("hold=0s"); err != nil || l.Hold != 0 {
		t.Errorf(`ParseLoadLocks("hold=0s") = %v, %v`, l, err)
	}
	for _, bad := range []string{"hold=-1ms", "busy=-1s", "hold=5", "busy=x"} {
		if _, err := ParseLoadLocks(bad); err == nil {
			t.Errorf("ParseLoadLocks(%q) accepted", bad)
		}
	}
}
