// Package bifrost is the client of Bifrost's management API: its wire types,
// the requests the Terraform provider makes, retries and logging.
package bifrost

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Defaults of Config.
const (
	DefaultEndpoint       = "http://localhost:8080"
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxRetries     = 5
	defaultRetryWaitMin   = 200 * time.Millisecond
	defaultRetryWaitMax   = 5 * time.Second
	// defaultLockRetryWaitMin and defaultLockRetryWaitMax bound the backoff
	// after a lock answer: short at first, since a lock is usually released
	// within one other write, and capped low, since such writes are retried
	// until the deadline rather than a fixed number of times.
	defaultLockRetryWaitMin = 50 * time.Millisecond
	defaultLockRetryWaitMax = 2 * time.Second
	// DefaultLockRetryTimeout bounds the retries of lock answers when the
	// context carries no deadline, so that nothing retries forever.
	DefaultLockRetryTimeout = 10 * time.Minute
	// maxRetryAfter caps how long a Retry-After header can make us wait.
	maxRetryAfter = 60 * time.Second
)

// Config is everything needed to talk to one Bifrost server.
type Config struct {
	Endpoint string
	// Username and Password authenticate with HTTP Basic.
	Username, Password string
	// Token authenticates with "Authorization: Bearer".
	Token string
	// SetupToken is sent as X-Bifrost-Setup-Token (Bifrost ≥ 2.2.6 while
	// dashboard auth is off).
	SetupToken string
	// Headers are sent with every request.
	Headers map[string]string
	// TLSConfig, when set, is used for https endpoints.
	TLSConfig *tls.Config
	// RequestTimeout bounds one attempt of one request.
	RequestTimeout time.Duration
	// MaxRetries is how many times a request that failed in a retryable way
	// (429, 503, and for requests safe to repeat 502, 504 and connection
	// errors) is sent again. Lock answers do not count against it: they are
	// retried until the context's deadline.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts.
	RetryWaitMin, RetryWaitMax time.Duration
	// LockRetryWaitMin and LockRetryWaitMax bound the backoff after a lock
	// answer (the config store refused the write under concurrent writers).
	LockRetryWaitMin, LockRetryWaitMax time.Duration
	// LockRetryTimeout bounds the retries of lock answers of a request whose
	// context has no deadline (DefaultLockRetryTimeout if zero). With a
	// deadline, lock answers are retried until the deadline.
	LockRetryTimeout time.Duration
	// InitialWritesInFlight and MaxWritesInFlight set where the adaptive
	// limit on concurrent writes starts and how high it can grow
	// (DefaultInitialWritesInFlight and DefaultMaxWritesInFlight if zero).
	InitialWritesInFlight, MaxWritesInFlight int
	// UserAgent is sent as User-Agent.
	UserAgent string
}

// Client talks to one Bifrost server. It is safe for concurrent use.
//
// Every write (any method but GET, HEAD and OPTIONS) of every resource
// using the Client takes a slot of one adaptive write limiter for each
// attempt, so the writes in flight to the server follow what it sustains;
// reads are not limited.
type Client struct {
	base    *url.URL
	cfg     Config
	http    *http.Client
	writes  *writeLimiter
	authHdr string
	lists   readLists[Key]
	vkLists readLists[VirtualKey]
	version serverVersion
}

// New returns a client for cfg.
func New(cfg Config) (*Client, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	base, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = defaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = defaultRetryWaitMax
	}
	if cfg.LockRetryWaitMin <= 0 {
		cfg.LockRetryWaitMin = defaultLockRetryWaitMin
	}
	if cfg.LockRetryWaitMax <= 0 {
		cfg.LockRetryWaitMax = defaultLockRetryWaitMax
	}
	if cfg.LockRetryTimeout <= 0 {
		cfg.LockRetryTimeout = DefaultLockRetryTimeout
	}
	if cfg.InitialWritesInFlight <= 0 {
		cfg.InitialWritesInFlight = DefaultInitialWritesInFlight
	}
	if cfg.MaxWritesInFlight <= 0 {
		cfg.MaxWritesInFlight = DefaultMaxWritesInFlight
	}
	transport := cleanhttp.DefaultPooledTransport()
	transport.MaxIdleConnsPerHost = 64
	if cfg.TLSConfig != nil {
		transport.TLSClientConfig = cfg.TLSConfig
	}
	c := &Client{
		base:   base,
		cfg:    cfg,
		http:   &http.Client{Transport: transport, Timeout: cfg.RequestTimeout},
		writes: newWriteLimiter(cfg.InitialWritesInFlight, cfg.MaxWritesInFlight),
	}
	switch {
	case cfg.Token != "":
		c.authHdr = "Bearer " + cfg.Token
	case cfg.Username != "" || cfg.Password != "":
		c.authHdr = "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Username+":"+cfg.Password))
	}
	return c, nil
}

// ParseEndpoint checks that s is an absolute http(s) URL with a host.
func ParseEndpoint(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a URL: %w", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q must be an http:// or https:// URL with a host, e.g. http://localhost:8080", s)
	}
	if u.User != nil {
		return nil, fmt.Errorf("endpoint %q must not carry credentials; use username/password or token", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// Endpoint is the base URL the client talks to.
func (c *Client) Endpoint() string { return c.base.String() }

// Version returns the server's version string from /api/version.
func (c *Client) Version(ctx context.Context) (string, error) {
	var v string
	err := c.do(ctx, http.MethodGet, "/api/version", nil, &v)
	return v, err
}

type secretsKey struct{}
type retrySafeKey struct{}
type hiddenCauseKey struct{}

// withRequestSecrets names literal secrets that must never reach a log line.
func withRequestSecrets(ctx context.Context, secrets []string) context.Context {
	return context.WithValue(ctx, secretsKey{}, secrets)
}

// withRetrySafe marks a non-idempotent request as safe to send again (a key
// create with a client-chosen id: a duplicate is detected, not doubled).
func withRetrySafe(ctx context.Context) context.Context {
	return context.WithValue(ctx, retrySafeKey{}, true)
}

// withHiddenCause names the fixed 500 message with which the request's
// handler hides the store's error (a lock among others). Such an answer is
// retried like a 503, at most Config.MaxRetries times; only requests that
// are safe to send again may say so (see governance.go).
func withHiddenCause(ctx context.Context, message string) context.Context {
	return context.WithValue(ctx, hiddenCauseKey{}, message)
}

// hidesCause reports whether an answer is the request's hidden-cause 500.
func hidesCause(ctx context.Context, status int, message string) bool {
	m, _ := ctx.Value(hiddenCauseKey{}).(string)
	return m != "" && status == http.StatusInternalServerError && message == m
}

// answer is one response of the server, read whole.
type answer struct {
	status  int
	header  http.Header
	body    []byte
	message string // Bifrost's error.message, or the body, unredacted
}

// do sends one logical request and retries it where that is known to be
// safe. Only what is known not to have been applied, or is safe to apply
// twice, is sent again:
//   - a lock answer (500 "database is locked" or a PostgreSQL lock or
//     serialization failure: the store refused the write, nothing was
//     stored), for every method, until the context's deadline (or
//     Config.LockRetryTimeout without one);
//   - 429 and 503 (the server did not process the request), honouring
//     Retry-After, at most Config.MaxRetries times;
//   - 502, 504 and connection errors for requests safe to repeat only (GET,
//     PUT, DELETE, and a POST that carries a client-chosen key id), at most
//     Config.MaxRetries times;
//   - the fixed 500 message with which a governance handler hides its
//     store's error (withHiddenCause), for the requests safe to repeat that
//     name it, at most Config.MaxRetries times.
//
// Any other answer, a plain 500 included, is final. An error after more than
// one attempt names the attempts and the time spent, and wraps the last
// *APIError when there was an answer.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	retrySafe := method != http.MethodPost
	if safe, _ := ctx.Value(retrySafeKey{}).(bool); safe {
		retrySafe = true
	}
	secrets, _ := ctx.Value(secretsKey{}).([]string)

	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("encoding %s %s: %w", method, path, err)
		}
	}

	start := time.Now()
	lockDeadline, hasDeadline := ctx.Deadline()
	if !hasDeadline {
		lockDeadline = start.Add(c.cfg.LockRetryTimeout)
	}
	tflog.Debug(ctx, "Bifrost request", map[string]any{
		"method": method, "path": path, "body": redactBody(body, secrets),
	})
	logAnswer := func(attempt, status int, body []byte) {
		tflog.Debug(ctx, "Bifrost response", map[string]any{
			"method": method, "path": path, "status": status, "attempts": attempt,
			"duration_ms": time.Since(start).Milliseconds(), "body": redactBody(body, secrets),
		})
	}
	var (
		last    *APIError // the last answer, when it was not a 2xx
		retries int       // retries counted against MaxRetries
		locks   int       // lock answers so far
	)
	for attempt := 1; ; attempt++ {
		a, err := c.send(ctx, method, path, body)
		var wait time.Duration
		switch {
		case err != nil && ctx.Err() != nil:
			var q *queueError
			sent := attempt
			if errors.As(err, &q) {
				sent--
			}
			return c.deadlineError(method, path, start, sent, last, err)
		case err != nil:
			shouldRetry := false
			if retrySafe {
				shouldRetry, _ = retryablehttp.DefaultRetryPolicy(ctx, nil, err)
			}
			if !shouldRetry || retries >= c.cfg.MaxRetries {
				return fmt.Errorf("%s %s: %s (after %s in %s)", method, path, Redact(err.Error(), secrets...),
					Plural(attempt, "attempt"), roundDuration(time.Since(start)))
			}
			retries++
			wait = backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, retries-1, 0, nil)
			tflog.Debug(ctx, "Retrying Bifrost request", map[string]any{
				"method": method, "path": path, "attempt": attempt + 1, "error": Redact(err.Error(), secrets...), "wait_ms": wait.Milliseconds(),
			})
		case a.status >= 200 && a.status <= 299:
			logAnswer(attempt, a.status, a.body)
			if err := notJSON(a); err != nil {
				return fmt.Errorf("%s %s: %w", method, path, err)
			}
			if out != nil {
				if err := json.Unmarshal(a.body, out); err != nil {
					return fmt.Errorf("%s %s: decoding response: %w", method, path, err)
				}
			}
			return nil
		default:
			last = &APIError{
				Method: method, Path: path, StatusCode: a.status, Attempts: attempt,
				Message: Redact(a.message, secrets...),
			}
			logAnswer(attempt, a.status, a.body)
			switch {
			case isLockAnswer(a.status, a.message):
				wait = jittered(c.cfg.LockRetryWaitMin, c.cfg.LockRetryWaitMax, locks)
				locks++
				if time.Now().Add(wait).After(lockDeadline) {
					limit := "the operation's deadline"
					if !hasDeadline {
						limit = fmt.Sprintf("the %s bound on retries of a locked write", c.cfg.LockRetryTimeout)
					}
					return &retryError{last: last, elapsed: time.Since(start), reason: lockedUntil(limit)}
				}
			case isOverload(a.status) ||
				(retrySafe && (a.status == http.StatusBadGateway || a.status == http.StatusGatewayTimeout)) ||
				hidesCause(ctx, a.status, a.message):
				if retries >= c.cfg.MaxRetries {
					if attempt == 1 {
						return last
					}
					reason := fmt.Sprintf("max_retries is %d", c.cfg.MaxRetries)
					if hidesCause(ctx, a.status, a.message) {
						reason += "; Bifrost's message hides the cause: a config store locked by concurrent writes, " +
							"or a failure that repeats (e.g. a duplicate name or an unknown id)"
					}
					return &retryError{last: last, elapsed: time.Since(start), reason: reason}
				}
				wait = backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, retries, a.status, a.header)
				retries++
			default:
				return last
			}
			tflog.Debug(ctx, "Retrying Bifrost request", map[string]any{
				"method": method, "path": path, "attempt": attempt + 1, "status": a.status, "wait_ms": wait.Milliseconds(),
			})
		}
		if err := sleep(ctx, wait); err != nil {
			return c.deadlineError(method, path, start, attempt, last, err)
		}
	}
}

// send makes one attempt. A write holds a slot of the write limiter from
// before it is sent until its answer is read, and its outcome adapts the
// limit.
func (c *Client) send(ctx context.Context, method, path string, body []byte) (*answer, error) {
	if isWrite(method) {
		p, err := c.writes.acquire(ctx)
		if err != nil {
			return nil, &queueError{err: err}
		}
		outcome := writeNeutral
		defer func() {
			before, after := c.writes.release(p, outcome)
			if before != after {
				tflog.Debug(ctx, "Bifrost write limit changed", map[string]any{"from": before, "to": after})
			}
		}()
		a, err := c.exchange(ctx, method, path, body)
		if err == nil {
			outcome = outcomeOf(a.status, a.message)
			if hidesCause(ctx, a.status, a.message) {
				// A governance handler's fixed 500 hides the store's
				// error, most often its lock: back off as for one.
				outcome = writeOverloaded
			}
		}
		return a, err
	}
	return c.exchange(ctx, method, path, body)
}

// exchange sends one HTTP request and reads its answer whole.
func (c *Client) exchange(ctx context.Context, method, path string, body []byte) (*answer, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.cfg.Headers {
		req.Header.Set(k, v)
	}
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if c.authHdr != "" {
		req.Header.Set("Authorization", c.authHdr)
	}
	if c.cfg.SetupToken != "" {
		req.Header.Set("X-Bifrost-Setup-Token", c.cfg.SetupToken)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	a := &answer{status: resp.StatusCode, header: resp.Header, body: b}
	if a.status < 200 || a.status > 299 {
		a.message = errorMessage(b)
	}
	return a, nil
}

// notJSON is the error of a 2xx answer that is not JSON: an HTML page
// (text/html, or a body starting with '<') is what Bifrost answers, with
// 200, to a GET it does not route (its dashboard catches every other GET
// path), so such an answer is no data and never a success.
func notJSON(a *answer) error {
	ctype := a.header.Get("Content-Type")
	body := bytes.TrimSpace(a.body)
	if !strings.HasPrefix(strings.ToLower(ctype), "text/html") && (len(body) == 0 || body[0] != '<') {
		return nil
	}
	return fmt.Errorf("answered HTTP %d with an HTML page (Content-Type %q), not JSON: the server does not route this request "+
		"(an unknown GET path falls through to its dashboard). Check the endpoint and the Bifrost version", a.status, ctype)
}

// queueError is a write that never left the client: its context ended while
// it waited for a slot of the write limiter.
type queueError struct{ err error }

func (e *queueError) Error() string {
	return "waiting for a free write slot (writes to this server are limited to what it sustains): " + e.err.Error()
}

func (e *queueError) Unwrap() error { return e.err }

// lockedUntil is why lock answers were given up on: limit is what ended the
// retries.
func lockedUntil(limit string) string {
	return "the server's config store stayed locked by concurrent writes until " + limit +
		"; raise the resource's timeouts block or lower Terraform's -parallelism"
}

// deadlineError reports a request whose context ended after sent attempts.
// When the server answered before, its last answer is kept.
func (c *Client) deadlineError(method, path string, start time.Time, sent int, last *APIError, cause error) error {
	elapsed := time.Since(start)
	if last != nil {
		last.Attempts = sent
		reason := fmt.Sprintf("the operation's deadline came before a retry succeeded (%v); raise the resource's timeouts block", cause)
		if isLockAnswer(last.StatusCode, last.Message) {
			// Said as when the deadline comes between two attempts.
			reason = lockedUntil("the operation's deadline")
		}
		return &retryError{last: last, elapsed: elapsed, reason: reason}
	}
	if q := (*queueError)(nil); sent == 0 && errors.As(cause, &q) {
		return fmt.Errorf("%s %s: the operation's deadline came before the write could be sent (%s): %w. "+
			"Raise the resource's timeouts block or lower Terraform's -parallelism", method, path, roundDuration(elapsed), cause)
	}
	return fmt.Errorf("%s %s: no answer from Bifrost before the operation's deadline (%s, %s): %w. "+
		"Raise the resource's timeouts block or check the server", method, path, roundDuration(elapsed), Plural(sent, "attempt"), cause)
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
