package bifrost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const lockedCreate = "Failed to create provider key: failed to create provider key in store: database is locked"

// writeError answers like Bifrost does.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"is_bifrost_error":false,"status_code":%d,"error":{"message":%q},"extra_fields":{}}`+"\n", status, msg)
}

func writeKey(w http.ResponseWriter, id string) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = fmt.Fprintf(w, `{"id":%q,"name":"n","value":"sk-t***","models":["*"],"blacklisted_models":[],"weight":1,"enabled":true,"use_for_batch_api":false}`+"\n", id)
}

func testClient(t *testing.T, url string, cfg Config) *Client {
	t.Helper()
	cfg.Endpoint = url
	if cfg.RetryWaitMin == 0 {
		cfg.RetryWaitMin, cfg.RetryWaitMax = time.Millisecond, 5*time.Millisecond
	}
	if cfg.LockRetryWaitMin == 0 {
		cfg.LockRetryWaitMin, cfg.LockRetryWaitMax = time.Millisecond, 5*time.Millisecond
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testKey(id string) Key {
	return Key{ID: id, Name: "n-" + id, Value: Literal("sk-retry-test-0123456789abcdef"), Models: []string{"*"}, Weight: 1}
}

// TestConcurrentWritesStayWithinTheLimit: however many writes are started
// at once, the server never has more in flight than the write limit.
func TestConcurrentWritesStayWithinTheLimit(t *testing.T) {
	var inFlight, peak atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p; p = peak.Load() {
			if peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		writeKey(w, strings.TrimPrefix(r.URL.Path, "/api/providers/openai/keys/"))
	}))
	defer srv.Close()
	c := testClient(t, srv.URL, Config{InitialWritesInFlight: 3, MaxWritesInFlight: 3})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := range 60 {
		wg.Go(func() {
			var err error
			switch id := "k" + strconv.Itoa(i); i % 3 {
			case 0:
				_, err = c.CreateKey(ctx, "openai", testKey(id))
			case 1:
				_, err = c.UpdateKey(ctx, "openai", testKey(id))
			default:
				_, err = c.DeleteKey(ctx, "openai", id)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := peak.Load(); p != 3 {
		t.Fatalf("the server saw up to %d writes at once, want the limit 3", p)
	}
}

// TestWriteLimitFollowsTheServer: a server that refuses writes with
// "database is locked" whenever more than two are in flight gets every write
// in the end, and the client's limit drops below where it started.
func TestWriteLimitFollowsTheServer(t *testing.T) {
	var inFlight, locked, stored atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		time.Sleep(2 * time.Millisecond)
		if n > 2 {
			locked.Add(1)
			writeError(w, 500, lockedCreate)
			return
		}
		stored.Add(1)
		writeKey(w, "k")
	}))
	defer srv.Close()
	c := testClient(t, srv.URL, Config{MaxRetries: 0})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 80)
	for i := range 80 {
		wg.Go(func() {
			_, err := c.CreateKey(ctx, "openai", testKey("k"+strconv.Itoa(i)))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	limit, held := c.writes.state()
	if stored.Load() != 80 || locked.Load() == 0 || held != 0 {
		t.Fatalf("%d stored, %d locked, %d slots still held", stored.Load(), locked.Load(), held)
	}
	if limit >= DefaultInitialWritesInFlight {
		t.Fatalf("the write limit is %v after lock answers, want below %d", limit, DefaultInitialWritesInFlight)
	}
}

// lockingServer refuses the first n writes with a lock answer (forever if n
// is negative), then stores them; it counts the requests.
func lockingServer(t *testing.T, n int64) (*httptest.Server, *atomic.Int64) {
	var count atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c := count.Add(1); n < 0 || c <= n {
			verb := map[string]string{http.MethodPost: "create", http.MethodPut: "update", http.MethodDelete: "delete"}[r.Method]
			writeError(w, 500, strings.ReplaceAll(lockedCreate, "create", verb))
			return
		}
		writeKey(w, "k")
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

// TestLockAnswersRetriedUntilSuccess: a create with a client-chosen id, a
// create without one, an update and a delete refused with "database is
// locked" more times than MaxRetries (and than the old fixed count of 6
// attempts) are retried until the server takes them.
func TestLockAnswersRetriedUntilSuccess(t *testing.T) {
	ops := map[string]func(*Client) error{
		"create with id": func(c *Client) error {
			_, err := c.CreateKey(context.Background(), "openai", testKey("k1"))
			return err
		},
		"create without id": func(c *Client) error {
			_, err := c.CreateKey(context.Background(), "openai", testKey(""))
			return err
		},
		"update": func(c *Client) error {
			_, err := c.UpdateKey(context.Background(), "openai", testKey("k1"))
			return err
		},
		"delete": func(c *Client) error {
			_, err := c.DeleteKey(context.Background(), "openai", "k1")
			return err
		},
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			srv, count := lockingServer(t, 12)
			c := testClient(t, srv.URL, Config{MaxRetries: 2})
			if err := op(c); err != nil {
				t.Fatal(err)
			}
			if n := count.Load(); n != 13 {
				t.Fatalf("%d requests, want 12 refused and 1 stored", n)
			}
		})
	}
}

var gaveUp = regexp.MustCompile(`^Bifrost answered HTTP 500 to DELETE /api/providers/openai/keys/k1: Failed to delete provider key: ` +
	`failed to delete provider key in store: database is locked \(gave up after (\d+) attempts? in ([0-9.]+m?s): .*until (.*?);`)

// TestLockAnswersRetriedUntilTheDeadline: a write the server keeps refusing
// with "database is locked" is retried until the context's deadline, not a
// fixed number of times; the error keeps Bifrost's status and message and
// names the attempts and the time spent. Without a deadline,
// LockRetryTimeout bounds the retries.
func TestLockAnswersRetriedUntilTheDeadline(t *testing.T) {
	check := func(t *testing.T, err error, count int64, took, budget time.Duration, until string) {
		t.Helper()
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || !strings.HasSuffix(apiErr.Message, "database is locked") {
			t.Fatalf("got %v", err)
		}
		m := gaveUp.FindStringSubmatch(err.Error())
		if m == nil {
			t.Fatalf("message %q", err)
		}
		// The deadline may cut the last attempt before the server counts
		// it: the client then names one attempt more than the server saw.
		if m[1] != strconv.Itoa(apiErr.Attempts) || (int64(apiErr.Attempts) != count && int64(apiErr.Attempts) != count+1) || count <= 6 {
			t.Errorf("the message names %s attempts, the error %d, the server saw %d (want more than 6)", m[1], apiErr.Attempts, count)
		}
		spent, perr := time.ParseDuration(m[2])
		if perr != nil || spent < budget/2 || spent > took+time.Millisecond {
			t.Errorf("the message names %s spent; the budget was %s and the call took %s", m[2], budget, took)
		}
		if took > budget+time.Second {
			t.Errorf("gave up %s after starting, past the %s budget", took, budget)
		}
		if m[3] != until {
			t.Errorf("gave up until %q, want %q", m[3], until)
		}
	}
	t.Run("context deadline", func(t *testing.T) {
		srv, count := lockingServer(t, -1)
		c := testClient(t, srv.URL, Config{MaxRetries: 2})
		ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.DeleteKey(ctx, "openai", "k1")
		check(t, err, count.Load(), time.Since(start), 400*time.Millisecond, "the operation's deadline")
	})
	t.Run("no deadline", func(t *testing.T) {
		srv, count := lockingServer(t, -1)
		c := testClient(t, srv.URL, Config{MaxRetries: 2, LockRetryTimeout: 300 * time.Millisecond})
		start := time.Now()
		_, err := c.DeleteKey(context.Background(), "openai", "k1")
		check(t, err, count.Load(), time.Since(start), 300*time.Millisecond, "the 300ms bound on retries of a locked write")
	})
	t.Run("one attempt", func(t *testing.T) {
		srv, count := lockingServer(t, -1)
		c := testClient(t, srv.URL, Config{LockRetryWaitMin: time.Second, LockRetryWaitMax: time.Second})
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_, err := c.DeleteKey(ctx, "openai", "k1")
		if err == nil || !strings.Contains(err.Error(), "(gave up after 1 attempt in ") || count.Load() != 1 {
			t.Fatalf("%d requests: %v", count.Load(), err)
		}
	})
}

// TestFinalAnswersNotRetried: a plain 500 is final for a create (its outcome
// is unknown) and for an update; a 400 is final.
func TestFinalAnswersNotRetried(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		msg    string
		op     func(*Client) error
	}{
		{"plain 500 on a create with id", 500, "Failed to create provider key: boom", func(c *Client) error {
			_, err := c.CreateKey(context.Background(), "openai", testKey("k1"))
			return err
		}},
		{"plain 500 on a create without id", 500, "Failed to create provider key: boom", func(c *Client) error {
			_, err := c.CreateKey(context.Background(), "openai", testKey(""))
			return err
		}},
		{"plain 500 on an update", 500, "Failed to update provider key: boom", func(c *Client) error {
			_, err := c.UpdateKey(context.Background(), "openai", testKey("k1"))
			return err
		}},
		{"400 on an update", 400, "Invalid aliases: rejected", func(c *Client) error {
			_, err := c.UpdateKey(context.Background(), "openai", testKey("k1"))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var count atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				count.Add(1)
				writeError(w, tc.status, tc.msg)
			}))
			defer srv.Close()
			c := testClient(t, srv.URL, Config{MaxRetries: 5})
			err := tc.op(c)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Message != tc.msg || apiErr.Attempts != 1 {
				t.Fatalf("got %v", err)
			}
			if strings.Contains(err.Error(), "attempt") {
				t.Errorf("a single attempt is reported as retried: %v", err)
			}
			if n := count.Load(); n != 1 {
				t.Fatalf("%d requests, want 1", n)
			}
		})
	}
}

// TestReadsAreNotLimited: while the only write slot is taken by a write the
// server holds, twenty reads are all in flight at the server at once.
func TestReadsAreNotLimited(t *testing.T) {
	const reads = 20
	var gets atomic.Int64
	allIn := make(chan struct{})
	releaseWrite := make(chan struct{})
	var writes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			writes.Add(1)
			<-releaseWrite
			writeKey(w, "w")
			return
		}
		if gets.Add(1) == reads {
			close(allIn)
		}
		select {
		case <-allIn:
			writeKey(w, strings.TrimPrefix(r.URL.Path, "/api/providers/openai/keys/"))
		case <-time.After(10 * time.Second):
			writeError(w, 500, "the reads were not all in flight together")
		}
	}))
	defer srv.Close()
	var once sync.Once
	release := func() { once.Do(func() { close(releaseWrite) }) }
	defer release() // before srv.Close, which waits for the held write
	c := testClient(t, srv.URL, Config{InitialWritesInFlight: 1, MaxWritesInFlight: 1})
	ctx := context.Background()
	writeDone := make(chan error, 2)
	go func() { _, err := c.UpdateKey(ctx, "openai", testKey("w")); writeDone <- err }()
	for writes.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	// A second write waits for the slot and gives up at its deadline,
	// without reaching the server.
	shortCtx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.DeleteKey(shortCtx, "openai", "w2"); err == nil || !strings.Contains(err.Error(), "deadline came before the write could be sent") {
		t.Fatalf("queued write: %v", err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, reads)
	for i := range reads {
		wg.Go(func() {
			readCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			_, err := c.GetKey(readCtx, "openai", "r"+strconv.Itoa(i))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	release()
	if err := <-writeDone; err != nil {
		t.Fatal(err)
	}
	if n := writes.Load(); n != 1 {
		t.Fatalf("%d writes reached the server, want 1 (the queued one never left)", n)
	}
}
