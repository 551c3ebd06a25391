package emulator

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// Fault is a canned answer given instead of handling a request, as a proxy or
// an overloaded server would, without touching state.
type Fault struct {
	Method     string // "" matches every method
	PathPrefix string // "" matches every path
	Status     int    // e.g. 429, 500, 502, 503, 504
	Message    string // error message in the Bifrost error body; default: the status text
	RetryAfter string // Retry-After header value, if any
}

type faultRule struct {
	Fault
	left int
}

// Request is one request the Server received.
type Request struct {
	Method   string
	Path     string // as sent, still escaped
	Provider string // decoded {provider} path parameter, if any
	KeyID    string // decoded {key_id} path parameter, if any
	Body     string
	Status   int         // 0 when no response was written (connection closed, hang, client gone)
	Locked   bool        // answered with the database lock's error (see LockStats)
	Header   http.Header // selected headers; credential values read "[set]"
}

// Headers kept in the request log; the credential ones are masked.
var (
	loggedHeaders = []string{"Content-Type", "User-Agent", "Authorization", "Cookie", setupTokenHeader}
	maskedHeaders = []string{"Authorization", "Cookie", setupTokenHeader}
)

// SetLatency delays every request by d before it is handled.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

func (s *Server) currentLatency() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

// FailNext answers the next n requests matching f with f's status instead of
// handling them. Rules armed by successive calls are tried in order.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{Fault: f, left: n})
}

func (s *Server) takeFault(method, path string) (reply, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if f.left <= 0 || (f.Method != "" && f.Method != method) || !strings.HasPrefix(path, f.PathPrefix) {
			continue
		}
		f.left--
		msg := f.Message
		if msg == "" {
			msg = http.StatusText(f.Status)
		}
		rp := s.errReply(f.Status, msg)
		if f.RetryAfter != "" {
			rp.header = http.Header{"Retry-After": {f.RetryAfter}}
		}
		return rp, true
	}
	return reply{}, false
}

// LockWrites makes a fraction of provider and key writes fail the way
// Bifrost's SQLite store does under contention ("database is locked"),
// without storing anything. The sequence of failures is fixed by seed.
// A locked provider DELETE still answers 200, as the real handler only logs
// the failure, and the provider stays (guess: read from source, not
// recorded).
func (s *Server) LockWrites(fraction float64, seed int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lockFrac = fraction
	s.lockRand = rand.New(rand.NewPCG(uint64(seed), 0))
}

// lockedWrite draws whether the current write hits the lock, under load
// (LockUnderLoad) or by the fixed share (LockWrites), and counts it when it
// does; s.mu is held.
func (s *Server) lockedWrite() bool {
	if s.loadLocked() || (s.lockFrac > 0 && s.lockRand.Float64() < s.lockFrac) {
		s.load.refused++
		return true
	}
	return false
}

// DropAfterStore applies the next n writes with the given method ("" for any)
// to state, then closes the connection without answering.
func (s *Server) DropAfterStore(n int, method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropN, s.dropMeth = n, method
}

// ResetConnections closes the connection of the next n requests before
// anything else happens.
func (s *Server) ResetConnections(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetN = n
}

// Hang makes the next n requests block until the client gives up or the
// server is closed; they get no response.
func (s *Server) Hang(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hangN = n
}

// SetReadLag hides a key from GET (by id, in its provider's list and in
// /api/keys) for d after its creation, like a replica that has not caught up.
func (s *Server) SetReadLag(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readLag = d
}

// take consumes one unit of a fault counter.
func (s *Server) take(n *int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if *n <= 0 {
		return false
	}
	*n--
	return true
}

func (s *Server) record(r *http.Request) *Request {
	rec := &Request{Method: r.Method, Path: r.URL.EscapedPath(), Header: http.Header{}}
	for _, h := range loggedHeaders {
		if v := r.Header.Values(h); len(v) > 0 {
			rec.Header[h] = v
		}
	}
	for _, h := range maskedHeaders {
		if _, ok := rec.Header[h]; ok {
			rec.Header[h] = []string{"[set]"}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, rec)
	return rec
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
		out[i].Header = r.Header.Clone()
	}
	return out
}

// Count is the number of logged requests with the method ("" for any) whose
// path starts with pathPrefix.
func (s *Server) Count(method, pathPrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// ResetRequests empties the request log and starts the counts of LockStats
// afresh.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.load.refused, s.load.peak = 0, s.load.inFlight
}
