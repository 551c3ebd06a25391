package emulator

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// LoadLocks makes the injected "database is locked" answers depend on load,
// as they do on a Bifrost whose config store is SQLite (see "Concurrency" in
// the API semantics notes): SQLite lets one writer in at a time, so a write
// that meets few others goes through, and the more writes contend at once,
// the likelier one is refused.
//
// A write (POST, PUT, PATCH or DELETE) is in flight from the moment the
// Server receives it until its answer is ready, the configured latency and
// its time at the store included, so a client's concurrency is the
// Server's. A write that reaches the store while k other writes are in
// flight is refused with probability Probability(k). It is answered exactly
// as the real server answers that route when the lock refuses it (for a
// key: 500 "Failed to create provider key: failed to create provider key in
// store: database is locked", and the same with update and delete) and
// stores nothing.
//
// What a write costs the store (Hold and Busy) follows Bifrost's SQLite
// config store, as read in framework/configstore/sqlite.go and rdb.go of
// maximhq/bifrost and its fork nagyist/ai-bifrost (the versions at hand; the
// v1.5.1 commit itself was not, and the recorded figures below confirm
// what matters):
//   - the store is opened with
//     "_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=60000&..." through
//     gorm and go-sqlite3, with database/sql's default pool (no
//     SetMaxOpenConns: a connection per concurrent request) and gorm's
//     default deferred transactions. WAL lets one writer commit at a time:
//     the writes the store takes hold it one after the other (Hold).
//   - a key write is one transaction that reads first (the provider's row,
//     or the key joined with its provider) and then writes (an older rdb.go
//     read outside the transaction; a write whose transaction starts with
//     the write would wait out the busy timeout instead). SQLite calls the
//     busy handler, the one that waits up to busy_timeout, only for a
//     connection that has no transaction open yet (sqlite3BtreeBeginTrans
//     retries SQLITE_BUSY only while inTransaction is TRANS_NONE); a read
//     transaction that must become a write transaction while another
//     connection holds the write lock, or after another one committed
//     (SQLITE_BUSY_SNAPSHOT), fails at once with "database is locked". So a
//     refused write is answered without the 60 s busy wait (Busy is 0), and
//     it never held the store: it costs the server next to nothing. The
//     recorded figures agree: 203 refused creates of 703 in 47.7 s at
//     parallelism 10 cannot each have waited 60 s.
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
	// Hold is how long a write the store takes holds it: the store takes
	// them one at a time, in the order it took them, so a write that meets
	// others at the store is answered only once those before it and then it
	// have held it (it stays in flight meanwhile). 0 for no store time.
	Hold time.Duration
	// Busy is how long a refused write waits before its answer (SQLite's
	// busy wait); it does not hold the store.
	Busy time.Duration
}

// DefaultLoadLocks refuses a write that meets 9 others (Terraform's default
// parallelism of 10, every slot writing) with probability 0.28, within the
// share of write attempts the real server refused at that parallelism; one
// alone or with a single other is never refused, and the probability stops
// growing at 0.5, so that a retried write gets through eventually. Clients
// that back off after a refusal keep fewer writes in flight, so the share
// they see is lower than Probability at their nominal concurrency.
//
// Each write the store takes holds it for 28 ms; a refused write is
// answered at once (see LoadLocks). The store time is derived from the
// recorded totals (semantics notes, "Concurrency"): a write finds the write
// lock taken, and is refused, about as often as the lock is held, so the
// lock is held for (refused share) ÷ (writes taken per second) per write:
// create 203/703 ÷ (500/47.7 s) = 28 ms, update 223/725 ÷ (500/73.2 s) =
// 45 ms, destroy 152/653 ÷ (500/54.8 s) = 26 ms; the median is taken.
//
// guess: the curve (linear, its free writes, slope and cap) is fitted to
// the recorded totals (20–30 % of write attempts at parallelism 10; 1 or 16
// of 40 concurrent creates), not measured per number of writes in flight;
// every write route counts as one load on the store, and a write is in
// flight for its whole handling, the emulator's latency included.
// guess: the store time is inferred from totals, not timed; it takes the
// time of the whole write transaction to be the time the lock is held, and
// the real server's refusals to arrive at random moments. The real server
// spent most of a write's time outside the store (10 writes in flight for
// 47.7 s made 703 attempts, about 0.7 s each with Terraform's own work, and
// the store was held about 30 % of the time): with the emulator's far
// shorter latency, the store is what bounds its writes per second, as it
// would on a real server whose handling is faster than its store.
var DefaultLoadLocks = LoadLocks{Free: 1, Slope: 0.035, Max: 0.5, Seed: 1, Hold: 28 * time.Millisecond}

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
	case l.Hold < 0:
		return fmt.Errorf("hold = %s: want 0 or more", l.Hold)
	case l.Busy < 0:
		return fmt.Errorf("busy = %s: want 0 or more", l.Busy)
	}
	return nil
}

// String gives l in the form ParseLoadLocks reads.
func (l LoadLocks) String() string {
	return fmt.Sprintf("free=%d,slope=%s,max=%s,seed=%d,hold=%s,busy=%s", l.Free,
		strconv.FormatFloat(l.Slope, 'g', -1, 64), strconv.FormatFloat(l.Max, 'g', -1, 64), l.Seed, l.Hold, l.Busy)
}

// ParseLoadLocks reads a LoadLocks setting as a command-line flag gives it:
// "off" (or "") for none (nil), "on" for DefaultLoadLocks, or
// comma-separated name=value pairs among free, slope, max, seed, hold and
// busy (the last two Go durations), which change DefaultLoadLocks (e.g.
// "slope=0.05,max=0.8" or "hold=0s" for writes that cost the store
// nothing).
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
		case "hold":
			l.Hold, err = time.ParseDuration(value)
		case "busy":
			l.Busy, err = time.ParseDuration(value)
		default:
			return nil, fmt.Errorf("load locks %q: unknown setting %q (want free, slope, max, seed, hold or busy)", spec, name)
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
	// draws counts the draws of the load-dependent lock; unclaimed are those
	// no write has claimed yet, oldest first (see claim).
	draws     uint64
	unclaimed []draw
	// storeFree is when the store has served every write it took so far.
	storeFree time.Time
}

// draw is one decision of the load-dependent lock.
type draw struct {
	seq     uint64
	refused bool
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
// load-dependent lock, and keeps the decision for the write to claim when
// its answer is ready (see claim); s.mu is held.
func (s *Server) loadLocked() bool {
	if s.load.locks == nil {
		return false
	}
	p := s.load.locks.Probability(s.load.inFlight - 1)
	refused := p > 0 && s.load.rand.Float64() < p
	s.load.unclaimed = append(s.load.unclaimed, draw{seq: s.load.draws, refused: refused})
	s.load.draws++
	return refused
}

// claim takes the decision of the load-dependent lock of a write that
// entered when draws was since, and returns until when the write is held
// back before its answer: the end of its turn at the store if the store
// took it, now plus Busy if it was refused, now if it made no draw (it
// never reached the store); s.mu is held.
//
// The handlers draw with s.mu held and cannot wait there, so a decision is
// matched to its write afterwards: a write claims the oldest decision drawn
// since it entered that no other write has claimed. A write's answer is
// readied right after its handler returns, so this is its own decision,
// unless another write drew within the few microseconds between the two:
// then the two may swap their store times, which leaves the store's total
// time, and so the writes it serves per second, unchanged.
func (s *Server) claim(since uint64, now time.Time) time.Time {
	l := s.load.locks
	if l == nil {
		return now
	}
	for i, d := range s.load.unclaimed {
		if d.seq < since {
			continue
		}
		s.load.unclaimed = append(s.load.unclaimed[:i], s.load.unclaimed[i+1:]...)
		if d.refused {
			return now.Add(l.Busy)
		}
		if l.Hold <= 0 {
			return now
		}
		start := now
		if s.load.storeFree.After(now) {
			start = s.load.storeFree
		}
		s.load.storeFree = start.Add(l.Hold)
		return s.load.storeFree
	}
	return now
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
// The first call of release holds the write back, still in flight, for its
// time at the store (LoadLocks.Hold, or Busy when it was refused), or until
// the Server closes.
func (s *Server) enterWrite(method string) (release func()) {
	if !isWrite(method) {
		return func() {}
	}
	s.mu.Lock()
	s.load.inFlight++
	s.load.peak = max(s.load.peak, s.load.inFlight)
	since := s.load.draws
	entered := s.load.entered
	s.mu.Unlock()
	if entered != nil {
		entered()
	}
	released := false
	return func() {
		s.mu.Lock()
		if released {
			s.mu.Unlock()
			return
		}
		released = true
		now := time.Now()
		until := s.claim(since, now)
		s.mu.Unlock()
		if d := until.Sub(now); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-s.closing:
				t.Stop()
			}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.load.inFlight--
		if s.load.inFlight == 0 {
			// Decisions no write claimed (a write that drew twice, or
			// whose decision was claimed by another) go with the last
			// write out.
			s.load.unclaimed = s.load.unclaimed[:0]
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
