package bifrost

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

// round takes every free slot of l, then gives them all back with outcome o;
// it returns how many writes it had in flight.
func round(t *testing.T, l *writeLimiter, o writeOutcome) int {
	t.Helper()
	l.mu.Lock()
	n := l.slots() - l.inFlight
	l.mu.Unlock()
	permits := make([]writePermit, n)
	for i := range permits {
		p, err := l.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		permits[i] = p
	}
	for _, p := range permits {
		l.release(p, o)
	}
	return n
}

func limitOf(l *writeLimiter) float64 {
	limit, _ := l.state()
	return limit
}

// TestWriteLimiterShrinksUnderLocksAndGrowsBack: a round of writes refused
// with lock answers halves the limit once (not once per answer), down to
// writeDecreaseFloor writes in flight; successes then grow it back by
// writeIncreasePerRound per round, up to its maximum and no further;
// neutral answers leave it alone.
func TestWriteLimiterShrinksUnderLocksAndGrowsBack(t *testing.T) {
	if writeDecreaseFloor != 2 {
		t.Fatalf("the steps below assume a floor of 2, not %d", writeDecreaseFloor)
	}
	l := newWriteLimiter(10, 16)
	if n := round(t, l, writeNeutral); n != 10 || limitOf(l) != 10 {
		t.Fatalf("first round: %d in flight, limit %v; want 10 and 10", n, limitOf(l))
	}
	for _, want := range []float64{5, 2.5, 2, 2} {
		round(t, l, writeOverloaded)
		if got := limitOf(l); got != want {
			t.Fatalf("after a round of lock answers the limit is %v, want %v", got, want)
		}
	}
	if n := round(t, l, writeOverloaded); n != 2 {
		t.Fatalf("%d writes in flight at the floor, want 2", n)
	}

	prev, rounds := limitOf(l), 0
	for limitOf(l) < 10 {
		round(t, l, writeSucceeded)
		rounds++
		if got := limitOf(l); got <= prev {
			t.Fatalf("round %d of successes did not raise the limit: %v -> %v", rounds, prev, got)
		}
		prev = limitOf(l)
		if rounds > 100 {
			t.Fatalf("the limit is %v after %d rounds of successes", prev, rounds)
		}
	}
	// Additive increase: writeIncreasePerRound per round, so 2 -> 10 takes
	// at least 8/writeIncreasePerRound rounds (a doubling per round would
	// take 3), and not many more.
	least := int(8 / writeIncreasePerRound)
	if rounds < least || rounds > least*5/3 {
		t.Errorf("the limit grew from 2 to 10 in %d rounds, want %d to %d", rounds, least, least*5/3)
	}
	for range 100 {
		round(t, l, writeSucceeded)
	}
	if got := limitOf(l); got != 16 {
		t.Errorf("after many successes the limit is %v, want the maximum 16", got)
	}
	round(t, l, writeNeutral)
	if got := limitOf(l); got != 16 {
		t.Errorf("neutral answers moved the limit to %v", got)
	}
	round(t, l, writeOverloaded)
	if got := limitOf(l); got != 8 {
		t.Errorf("a lock answer at the maximum left the limit at %v, want 8", got)
	}
}

// TestWriteLimiterFloorWithinMaximum: a maximum below writeDecreaseFloor is
// kept (one write at a time stays one write at a time), and a limit that
// starts below the floor is not raised by an overload answer.
func TestWriteLimiterFloorWithinMaximum(t *testing.T) {
	l := newWriteLimiter(1, 1)
	for range 3 {
		if n := round(t, l, writeOverloaded); n != 1 {
			t.Fatalf("%d writes in flight with a maximum of 1", n)
		}
	}
	if got := limitOf(l); got != 1 {
		t.Fatalf("the limit is %v with a maximum of 1", got)
	}
	l = newWriteLimiter(1, 64)
	round(t, l, writeOverloaded)
	if got := limitOf(l); got != 1 {
		t.Fatalf("an overload answer moved a limit of 1 to %v", got)
	}
}

// TestWriteLimiterDoesNotGrowUnused: successes of writes sent while most
// slots were idle do not raise the limit, so it never runs far ahead of the
// concurrency actually used.
func TestWriteLimiterDoesNotGrowUnused(t *testing.T) {
	l := newWriteLimiter(10, 64)
	for range 200 {
		p, err := l.acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		l.release(p, writeSucceeded)
	}
	if got := limitOf(l); got != 10 {
		t.Fatalf("one write at a time raised the limit to %v", got)
	}
}

// TestWriteLimiterWaitHonoursContext: a write waiting for a slot gives up
// with its context's error when the context ends, holds no slot afterwards,
// and the waiters behind it still get theirs. Many waiters with short
// deadlines racing releases leave the limiter empty.
func TestWriteLimiterWaitHonoursContext(t *testing.T) {
	l := newWriteLimiter(1, 1)
	held, err := l.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := l.acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting past the deadline returned %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the wait ended %s after a 50ms deadline", d)
	}
	next := make(chan error, 1)
	go func() {
		p, err := l.acquire(context.Background())
		if err == nil {
			l.release(p, writeNeutral)
		}
		next <- err
	}()
	l.release(held, writeNeutral)
	select {
	case err := <-next:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a waiter behind a cancelled one never got the slot")
	}

	l = newWriteLimiter(3, 3)
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rand.N(2000))*time.Microsecond)
			defer cancel()
			if p, err := l.acquire(ctx); err == nil {
				time.Sleep(time.Duration(rand.N(500)) * time.Microsecond)
				l.release(p, writeNeutral)
			}
		})
	}
	wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight != 0 || len(l.waiters) != 0 {
		t.Fatalf("after every writer left: %d in flight, %d waiting", l.inFlight, len(l.waiters))
	}
}

func TestIsLockAnswer(t *testing.T) {
	for msg, want := range map[string]bool{
		"Failed to create provider key: failed to create provider key in store: database is locked":         true,
		"Failed to delete provider key: failed to delete provider key from store: database is locked":       true,
		"database is locked (5) (SQLITE_BUSY)":                                                              true,
		"Failed to update provider key: ERROR: deadlock detected (SQLSTATE 40P01)":                          true,
		"Failed to update provider key: ERROR: could not serialize access due to concurrent update (40001)": true,
		"Failed to create provider key: ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)":    true,
		"Failed to create provider key: boom":                                                               false,
		"":                                                                                                  false,
	} {
		if got := isLockAnswer(500, msg); got != want {
			t.Errorf("isLockAnswer(500, %q) = %v", msg, got)
		}
	}
	if isLockAnswer(400, "database is locked") {
		t.Error("a 400 counted as a lock answer")
	}
}
