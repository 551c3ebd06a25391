package bench

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestForEach(t *testing.T) {
	var (
		mu            sync.Mutex
		seen          = map[int]bool{}
		running, peak int
	)
	err := forEach(t.Context(), 100, 7, func(_ context.Context, i int) error {
		mu.Lock()
		running++
		peak = max(peak, running)
		seen[i] = true
		mu.Unlock()
		time.Sleep(time.Millisecond)
		mu.Lock()
		running--
		mu.Unlock()
		return nil
	})
	if err != nil || len(seen) != 100 {
		t.Fatalf("forEach = %v after %d items, want nil after 100", err, len(seen))
	}
	if peak > 7 {
		t.Errorf("%d calls ran at once, want at most 7", peak)
	}

	// Items after 10 wait for the error, so at most the two other workers
	// hold one (11 and 12) when it happens; none may start afterwards. Items
	// before 10 still in a worker's hand when it happens are skipped.
	boom := errors.New("boom")
	var calls atomic.Int32
	err = forEach(t.Context(), 1000, 3, func(ctx context.Context, i int) error {
		calls.Add(1)
		switch {
		case i == 10:
			return boom
		case i > 10:
			<-ctx.Done()
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("forEach = %v, want the item's error", err)
	}
	if n := calls.Load(); n > 13 {
		t.Errorf("%d calls with an error at item 10 and 3 workers, want at most 13", n)
	}
}
