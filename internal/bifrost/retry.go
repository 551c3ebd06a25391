package bifrost

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// lockMessages are the texts of the config store's refusals under
// contention, as Bifrost wraps them into a 500: SQLite's "database is
// locked", and PostgreSQL's deadlock detected (SQLSTATE 40P01), could not
// serialize access (40001), canceling statement due to lock timeout and
// could not obtain lock (55P03). In each case nothing was written.
var lockMessages = []string{
	"database is locked",
	"deadlock detected",
	"could not serialize access",
	"canceling statement due to lock timeout",
	"could not obtain lock",
}

// isLockAnswer reports a write the server's config store refused under
// concurrent writers: SQLite's "database is locked" or one of PostgreSQL's
// lock and serialization failures, always a 500. The store did not apply
// the write, so any write, a create included, is safe to send again.
//
// Bifrost puts the store's text at the end of its own ("Failed to create
// provider key: failed to create provider key in store: database is
// locked"), so the texts are looked for anywhere in the message.
func isLockAnswer(status int, message string) bool {
	if status != http.StatusInternalServerError {
		return false
	}
	for _, m := range lockMessages {
		if strings.Contains(message, m) {
			return true
		}
	}
	return false
}

// isOverload reports a 429 or 503: the server refused the request for the
// load it is under.
func isOverload(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

// isWrite reports whether a request changes the server: these go through
// the write limiter.
func isWrite(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// outcomeOf is what an answer says about the server's load.
func outcomeOf(status int, message string) writeOutcome {
	switch {
	case status >= 200 && status <= 299:
		return writeSucceeded
	case isOverload(status), isLockAnswer(status, message):
		return writeOverloaded
	}
	return writeNeutral
}

// jittered waits min(minWait·2^n, maxWait), less a random part of up to
// half: parallel writers refused together do not come back together.
func jittered(minWait, maxWait time.Duration, n int) time.Duration {
	wait := maxWait
	if n < 30 {
		wait = min(minWait<<n, maxWait)
	}
	return wait/2 + rand.N(wait/2+1) //nolint:gosec // jitter, not a secret
}

// backoff waits as long as a Retry-After header of a 429 or 503 asks
// (capped at maxRetryAfter), otherwise the jittered exponential wait for
// the n-th retry.
func backoff(minWait, maxWait time.Duration, n int, status int, header http.Header) time.Duration {
	if isOverload(status) {
		if d, ok := retryAfter(header.Get("Retry-After")); ok {
			return min(d, maxRetryAfter)
		}
	}
	return jittered(minWait, maxWait, n)
}

func retryAfter(h string) (time.Duration, bool) {
	if h == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(h); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

// retryError is a request given up after retries: the server's last answer
// (kept whole, so errors.As finds the *APIError with Bifrost's status and
// message), how long the client tried and why it stopped.
type retryError struct {
	last    *APIError
	elapsed time.Duration
	reason  string
}

func (e *retryError) Error() string {
	msg := e.last.Message
	if msg == "" {
		msg = http.StatusText(e.last.StatusCode)
	}
	return fmt.Sprintf("Bifrost answered HTTP %d to %s %s: %s (gave up after %s in %s: %s)",
		e.last.StatusCode, e.last.Method, e.last.Path, msg, Plural(e.last.Attempts, "attempt"), roundDuration(e.elapsed), e.reason)
}

func (e *retryError) Unwrap() error { return e.last }

// roundDuration keeps a duration readable in a message.
func roundDuration(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}
