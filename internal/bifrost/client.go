// Package bifrost is the client of Bifrost's management API: its wire types,
// the requests the Terraform provider makes, retries and logging.
package bifrost

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
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
	// is sent again.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the backoff between attempts.
	RetryWaitMin, RetryWaitMax time.Duration
	// UserAgent is sent as User-Agent.
	UserAgent string
}

// Client talks to one Bifrost server. It is safe for concurrent use.
type Client struct {
	base    *url.URL
	cfg     Config
	http    *retryablehttp.Client
	authHdr string
	lists   keyLists
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
	transport := cleanhttp.DefaultPooledTransport()
	transport.MaxIdleConnsPerHost = 64
	if cfg.TLSConfig != nil {
		transport.TLSClientConfig = cfg.TLSConfig
	}
	c := &Client{base: base, cfg: cfg}
	switch {
	case cfg.Token != "":
		c.authHdr = "Bearer " + cfg.Token
	case cfg.Username != "" || cfg.Password != "":
		c.authHdr = "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Username+":"+cfg.Password))
	}
	c.http = &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: transport, Timeout: cfg.RequestTimeout},
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, attempt int) {
			if st := stateOf(req.Context()); st != nil {
				st.attempts = attempt + 1
			}
			if attempt > 0 {
				tflog.Debug(req.Context(), "Retrying Bifrost request", map[string]any{
					"method": req.Method, "path": req.URL.Path, "attempt": attempt + 1,
				})
			}
		},
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

// requestState travels with one logical request through its attempts.
type requestState struct {
	method    string
	retrySafe bool
	attempts  int
	secrets   []string
}

type stateKey struct{}
type secretsKey struct{}
type retrySafeKey struct{}

func stateOf(ctx context.Context) *requestState {
	st, _ := ctx.Value(stateKey{}).(*requestState)
	return st
}

// withRequestSecrets names literal secrets that must never reach a log line.
func withRequestSecrets(ctx context.Context, secrets []string) context.Context {
	return context.WithValue(ctx, secretsKey{}, secrets)
}

// withRetrySafe marks a non-idempotent request as safe to send again (a key
// create with a client-chosen id: a duplicate is detected, not doubled).
func withRetrySafe(ctx context.Context) context.Context {
	return context.WithValue(ctx, retrySafeKey{}, true)
}

func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	st := &requestState{method: method, retrySafe: method != http.MethodPost}
	if safe, _ := ctx.Value(retrySafeKey{}).(bool); safe {
		st.retrySafe = true
	}
	st.secrets, _ = ctx.Value(secretsKey{}).([]string)
	ctx = context.WithValue(ctx, stateKey{}, st)

	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return fmt.Errorf("encoding %s %s: %w", method, path, err)
		}
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, c.base.String()+path, body)
	if err != nil {
		return err
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

	start := time.Now()
	tflog.Debug(ctx, "Bifrost request", map[string]any{
		"method": method, "path": path, "body": redactBody(body, st.secrets),
	})
	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s %s: no answer from Bifrost before the operation's deadline (%s, %d attempts): %w. "+
				"Raise the resource's timeouts block or check the server", method, path, time.Since(start).Round(time.Millisecond), st.attempts, ctx.Err())
		}
		return fmt.Errorf("%s %s: %s (after %d attempts)", method, path, Redact(err.Error(), st.secrets...), st.attempts)
	}
	defer func() { _ = resp.Body.Close() }()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: reading response: %w", method, path, err)
	}
	tflog.Debug(ctx, "Bifrost response", map[string]any{
		"method": method, "path": path, "status": resp.StatusCode, "attempts": st.attempts,
		"duration_ms": time.Since(start).Milliseconds(), "body": redactBody(respBody, st.secrets),
	})
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &APIError{
			Method: method, Path: path, StatusCode: resp.StatusCode, Attempts: st.attempts,
			Message: Redact(errorMessage(respBody), st.secrets...),
		}
	}
	if out != nil {
		if err := json.Unmarshal(respBody, out); err != nil {
			return fmt.Errorf("%s %s: decoding response: %w", method, path, err)
		}
	}
	return nil
}

// checkRetry decides whether an attempt is sent again. Only what is known not
// to have been applied, or is safe to apply twice, is retried:
//   - 429 and 503 (the server did not process the request), honouring Retry-After;
//   - 500 "database is locked" (SQLite refused the write; nothing was stored);
//   - 502, 504 and connection errors for idempotent requests only (GET, PUT,
//     DELETE, and a POST that carries a client-chosen key id).
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	st := stateOf(ctx)
	safe := st != nil && st.retrySafe
	if err != nil {
		if !safe {
			return false, nil
		}
		return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true, nil
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return safe, nil
	case http.StatusInternalServerError:
		body, readErr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return readErr == nil && isDatabaseLocked(resp.StatusCode, errorMessage(body)), nil
	}
	return false, nil
}

// backoff waits as long as a Retry-After header asks (capped), otherwise an
// exponentially growing, capped wait with jitter.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(d, maxRetryAfter)
		}
	}
	wait := maxWait
	if attempt < 30 {
		wait = min(minWait<<attempt, maxWait)
	}
	// Full jitter over the upper half keeps retries of parallel writers apart.
	return wait/2 + rand.N(wait/2+1) //nolint:gosec // jitter, not a secret
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
