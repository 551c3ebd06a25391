package emulator

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
)

// LoadLocks makes the injected "database is locked" answers depend on load,
// as they do on a Bifrost whose config store is SQLite (see "Concurrency" in
// the API semantics notes): SQLite lets one writer in at a time, so a write
// that meets few others goes through, and the more writes contend at once,
// the likelier one is refused.
//
// A write (POST, PUT, PATCH or DELETE) is in flight from the moment the
// Server receives it until its answer is ready, the configured latency
// included, so a client's concurrency is the Server's. A write that reaches
// the store while k other writes are in flight is refused with probability
// Probability(k). It is answered exactly as the real server answers that
// route when the lock refuses it (for a key: 500 "Failed to create provider
// key: failed to create provider key in store: database is locked", and the
// same with update and delete) and stores nothing.
type LoadLocks struct {
	// Free is how many other writes in flight a write can meet without any
	// risk of the lock.
	Free int
	// Slope is the probability each further write in flight adds.
	Slope float64
	// Max caps the probability, at most 1.
	Max float64
	// Seed fixes the sequence of random draws (which writes of a given
	// sequence of loads are refused).
	Seed int64
}

// DefaultLoadLocks refuses a write that meets 9 others (Terraform's default
// parallelism of 10, every slot writing) with probability 0.28, within the
// share of write attempts the real server refused at that parallelism; one
// alone or with a single other is never refused, and the probability stops
// growing at 0.5, so that a retried write gets through eventually. Clients
// that back off after a refusal keep fewer writes in flight, so the share
// they see is lower than Probability at their nominal concurrency.
//
// guess: the curve (linear, its free writes, slope and cap) is fitted to
// the recorded totals (20–30 % of write attempts at parallelism 10; 1 or 16
// of 40 concurrent creates), not measured per number of writes in flight;
// every write route counts as one load on the store, and a write is in
// flight for its whole handling, the emulator's latency included.
var DefaultLoadLocks = LoadLocks{Free: 1, Slope: 0.035, Max: 0.5, Seed: 1}

// Probability is the chance that a write meeting others writes in flight is
// refused: 0 up to Free, then Slope per write beyond Free, at most Max.
func (l LoadLocks) Probability(others int) float64 {
	if others <= l.Free {
		return 0
	}
	return min(l.Max, l.Slope*float64(others-l.Free))
}

// validate rejects settings that are not probabilities.
func (l LoadLocks) validate() error {
	switch {
	case l.Free < 0:
		return fmt.Errorf("free = %d: want 0 or more", l.Free)
	case l.Slope < 0:
		return fmt.Errorf("slope = %g: want 0 or more", l.Slope)
	case l.Max < 0 || l.Max > 1:
		return fmt.Errorf("max = %g: want a probability between 0 and 1", l.Max)
	}
	return nil
}

// String gives l in the form ParseLoadLocks reads.
func (l LoadLocks) String() string {
	return fmt.Sprintf("free=%d,slope=%s,max=%s,seed=%d", l.Free,
		strconv.FormatFloat(l.Slope, 'g', -1, 64), strconv.FormatFloat(l.Max, 'g', -1, 64), l.Seed)
}

// ParseLoadLocks reads a LoadLocks setting as a command-line flag gives it:
// "off" (or "") for none (nil), "on" for DefaultLoadLocks, or
// comma-separated name=value pairs among free, slope, max and seed, which
// change DefaultLoadLocks (e.g. "slope=0.05,max=0.8").
func ParseLoadLocks(spec string) (*LoadLocks, error) {
	spec = strings.TrimSpace(spec)
	switch spec {
	case "", "off":
		return nil, nil
	case "on":
		l := DefaultLoadLocks
		return &l, nil
	}
	l := DefaultLoadLocks
	for _, pair := range strings.Split(spec, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok {
			return nil, fmt.Errorf("load locks %q: %q is not name=value", spec, pair)
		}
		var err error
		switch name {
		case "free":
			l.Free, err = strconv.Atoi(value)
		case "slope":
			l.Slope, err = strconv.ParseFloat(value, 64)
		case "max":
			l.Max, err = strconv.ParseFloat(value, 64)
		case "seed":
			l.Seed, err = strconv.ParseInt(value, 10, 64)
		default:
			return nil, fmt.Errorf("load locks %q: unknown setting %q (want free, slope, max or seed)", spec, name)
		}
		if err != nil {
			return nil, fmt.Errorf("load locks %q: %s: %w", spec, name, err)
		}
	}
	if err := l.validate(); err != nil {
		return nil, fmt.Errorf("load locks %q: %w", spec, err)
	}
	return &l, nil
}

// loadState is the Server's account of the writes in flight and of the
// load-dependent locks; s.mu guards it.
type loadState struct {
	locks *LoadLocks // nil: no load-dependent locks
	rand  *rand.Rand
	// inFlight is the number of writes received and not yet answered; peak
	// the largest it was since the request log was last reset.
	inFlight, peak int
	// refused counts the writes the injected lock refused (by LockWrites or
	// LoadLocks) since the request log was last reset, whatever they were
	// answered.
	refused int
	// entered, when set (by tests), is called once a write holds its slot,
	// before the latency.
	entered func()
}

// LockUnderLoad turns the load-dependent locks on with the setting l, or off
// with nil; the fixed share of LockWrites, if any, applies as well. A
// setting that is not valid (see ParseLoadLocks) panics.
func (s *Server) LockUnderLoad(l *LoadLocks) {
	if l != nil {
		if err := l.validate(); err != nil {
			panic("emulator: LockUnderLoad: " + err.Error())
		}
		c := *l
		l = &c
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load.locks = l
	if l != nil {
		s.load.rand = rand.New(rand.NewPCG(uint64(l.Seed), 1))
	}
}

// loadLocked draws whether the current write, which is in flight, meets the
// load-dependent lock; s.mu is held.
func (s *Server) loadLocked() bool {
	if s.load.locks == nil {
		return false
	}
	p := s.load.locks.Probability(s.load.inFlight - 1)
	return p > 0 && s.load.rand.Float64() < p
}

// isWrite reports whether a request of this method writes to the store.
func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// enterWrite counts a request of this method among the writes in flight, if
// it is one, until the returned release is called (more calls do nothing).
func (s *Server) enterWrite(method string) (release func()) {
	if !isWrite(method) {
		return func() {}
	}
	s.mu.Lock()
	s.load.inFlight++
	s.load.peak = max(s.load.peak, s.load.inFlight)
	entered := s.load.entered
	s.mu.Unlock()
	if entered != nil {
		entered()
	}
	released := false
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if !released {
			released = true
			s.load.inFlight--
		}
	}
}

// lockAnswerSuffix ends the error body of every write the store's lock
// refused: the message ends with SQLite's text.
var lockAnswerSuffix = []byte(dbLocked + `"}`)

// isLockAnswer reports whether rp is an error answer of the database lock.
func isLockAnswer(rp reply) bool {
	return rp.status >= http.StatusInternalServerError && bytes.Contains(rp.body, lockAnswerSuffix)
}

// LockStats counts, since the request log was last reset, the writes the
// Server received and the answers of the database lock among them.
type LockStats struct {
	// Writes is the number of POST, PUT, PATCH and DELETE requests logged.
	Writes int
	// Locked is the number of requests answered with an error whose message
	// ends in "database is locked", as every key and provider write the lock
	// refuses is (a refused provider DELETE, which answers 200, is not;
	// neither are the governance writes whose handler hides the store's
	// error).
	Locked int
	// WritesByMethod and LockedByMethod break Writes and Locked down by
	// HTTP method.
	WritesByMethod, LockedByMethod map[string]int
	// Refused is the number of writes the injected lock (LockWrites or
	// LockUnderLoad) refused, whatever they were answered.
	Refused int
	// PeakInFlight is the largest number of writes in flight at once.
	PeakInFlight int
}

// LockStats returns the counts of writes and lock answers since the request
// log was last reset.
func (s *Server) LockStats() LockStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := LockStats{WritesByMethod: map[string]int{}, LockedByMethod: map[string]int{},
		Refused: s.load.refused, PeakInFlight: s.load.peak}
	for _, r := range s.requests {
		if isWrite(r.Method) {
			st.Writes++
			st.WritesByMethod[r.Method]++
		}
		if r.Locked {
			st.Locked++
			st.LockedByMethod[r.Method]++
		}
	}
	return st
}
