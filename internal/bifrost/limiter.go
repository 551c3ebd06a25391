package bifrost

import (
	"context"
	"sync"
)

// Parameters of the write limiter.
const (
	// DefaultInitialWritesInFlight is where the write limit starts:
	// Terraform's default -parallelism, so that a server without contention
	// sees the same load as without a limiter.
	DefaultInitialWritesInFlight = 10
	// DefaultMaxWritesInFlight caps the write limit. Terraform's -parallelism
	// bounds the writes in flight anyway; the cap only keeps a long quiet
	// stretch from letting the limit drift far above any real use.
	DefaultMaxWritesInFlight = 64
	// minWritesInFlight keeps at least one write moving: the server must
	// still be asked, or no answer could ever raise the limit again.
	minWritesInFlight = 1
	// writeDecreaseFloor is as low as overload answers take the limit (or
	// the maximum, if lower). A store that takes writes one at a time, as
	// Bifrost's SQLite store does, sits idle while a lone write is on the
	// wire or handled outside the store; a second write in flight keeps it
	// busy, and two writes rarely meet at the store (the real server
	// refused at most a few of 40 concurrent creates). Lock answers at the
	// floor are still retried until the operation's deadline.
	writeDecreaseFloor = 2
	// writeDecreaseFactor multiplies the limit on an overload answer.
	writeDecreaseFactor = 0.5
	// writeIncreasePerRound is what a round of successful writes adds to the
	// limit. Below one slot per round, the limit settles where the server
	// refuses a smaller share of writes: under AIMD the share of refusals at
	// equilibrium is proportional to the increase. Against the emulator's
	// SQLite model (DefaultLoadLocks), a quarter kept lock answers to 4 % of
	// the writes of 500 keys at -parallelism=10 and under 4 % of 2000 keys at
	// -parallelism=20; a third reached 5.1 % at 500 keys.
	writeIncreasePerRound = 1.0 / 4
)

// writeOutcome is what an answer to a write says about the server's load.
type writeOutcome int

const (
	// writeNeutral says nothing about load: a 4xx, a plain 500, a 502/504,
	// a connection error or a cancelled attempt.
	writeNeutral writeOutcome = iota
	// writeSucceeded is a 2xx: the server took the write.
	writeSucceeded
	// writeOverloaded is a lock answer, a 429 or a 503: the server refused
	// the write because of the load it is under.
	writeOverloaded
)

// writeLimiter bounds the writes one Client has in flight to its server
// with AIMD (additive increase, multiplicative decrease), the rule TCP uses
// for its congestion window:
//   - each success of a write that had at least half the limit in use when
//     it was granted or when it came back adds writeIncreasePerRound/limit,
//     so a fully used limit grows by writeIncreasePerRound per round of
//     writes; a limit that is not used does not grow;
//   - an overload answer (lock, 429, 503) multiplies the limit by
//     writeDecreaseFactor, at most once per round, and not below
//     writeDecreaseFloor (or max, if lower): an overload answer to a write
//     sent before the last decrease does not decrease it again, because
//     that decrease already answered the load the write was sent into;
//   - the limit stays within [minWritesInFlight, max]; the number of writes
//     allowed in flight is its integer part.
//
// Writes wait for a slot in FIFO order; a waiter whose context ends leaves
// the queue with the context's error and holds no slot.
//
// No library is used: failsafe-go's adaptivelimiter (the best-kept Go
// candidate) adapts to execution-time trends, and its permits can only
// record a duration or be dropped, so the signal that matters here, an
// explicit "database is locked", 429 or 503 from the server, cannot be fed
// to it; it also rejects rather than queues by default and brings a t-digest
// and a bitset dependency. github.com/platinummonkey/go-concurrency-limits
// is not served by the Go module proxy. The rule above fits in this file.
type writeLimiter struct {
	max float64
	// floor is as low as a decrease takes the limit.
	floor float64

	mu       sync.Mutex
	limit    float64
	inFlight int
	// round counts decreases; a permit remembers the round it was granted in.
	round   uint64
	waiters []*writeWaiter
}

// writePermit is one write slot, held for one attempt of one write.
type writePermit struct {
	round uint64
	// used is how many slots were taken, this one included, when it was
	// granted.
	used int
}

type writeWaiter struct {
	ready   chan struct{}
	granted bool
	permit  writePermit
}

func newWriteLimiter(initial, maxLimit int) *writeLimiter {
	maxLimit = max(maxLimit, minWritesInFlight)
	initial = min(max(initial, minWritesInFlight), maxLimit)
	return &writeLimiter{max: float64(maxLimit), floor: float64(min(writeDecreaseFloor, maxLimit)), limit: float64(initial)}
}

// slots is how many writes may be in flight; l.mu is held.
func (l *writeLimiter) slots() int { return max(int(l.limit), minWritesInFlight) }

// acquire waits for a write slot until ctx ends. Every permit it returns
// must be given back with release.
func (l *writeLimiter) acquire(ctx context.Context) (writePermit, error) {
	l.mu.Lock()
	if len(l.waiters) == 0 && l.inFlight < l.slots() {
		l.inFlight++
		p := writePermit{round: l.round, used: l.inFlight}
		l.mu.Unlock()
		return p, nil
	}
	if err := ctx.Err(); err != nil {
		l.mu.Unlock()
		return writePermit{}, err
	}
	w := &writeWaiter{ready: make(chan struct{})}
	l.waiters = append(l.waiters, w)
	l.mu.Unlock()

	select {
	case <-w.ready:
		return w.permit, nil
	case <-ctx.Done():
		l.mu.Lock()
		defer l.mu.Unlock()
		if w.granted {
			// The slot was handed over as the context ended: pass it on.
			l.inFlight--
			l.grant()
		} else {
			for i, o := range l.waiters {
				if o == w {
					l.waiters = append(l.waiters[:i], l.waiters[i+1:]...)
					break
				}
			}
		}
		return writePermit{}, ctx.Err()
	}
}

// release gives a slot back and adapts the limit to the outcome of the
// write. It returns the number of slots before and after.
func (l *writeLimiter) release(p writePermit, o writeOutcome) (before, after int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	before = l.slots()
	used := max(p.used, l.inFlight)
	l.inFlight--
	switch o {
	case writeSucceeded:
		if 2*float64(used) >= l.limit {
			l.limit = min(l.limit+writeIncreasePerRound/l.limit, l.max)
		}
	case writeOverloaded:
		if p.round == l.round {
			l.limit = max(l.limit*writeDecreaseFactor, min(l.floor, l.limit))
			l.round++
		}
	case writeNeutral:
	}
	l.grant()
	return before, l.slots()
}

// grant hands free slots to waiters in arrival order; l.mu is held.
func (l *writeLimiter) grant() {
	for len(l.waiters) > 0 && l.inFlight < l.slots() {
		w := l.waiters[0]
		l.waiters[0] = nil
		l.waiters = l.waiters[1:]
		l.inFlight++
		w.granted = true
		w.permit = writePermit{round: l.round, used: l.inFlight}
		close(w.ready)
	}
}

// state returns the current limit and the writes in flight.
func (l *writeLimiter) state() (limit float64, inFlight int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit, l.inFlight
}
