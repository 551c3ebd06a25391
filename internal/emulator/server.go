// Package emulator is an in-process, stateful stand-in for the provider and
// key management API of a Bifrost server (v1.5.1 by default, v2.x on request).
// It reproduces the real server's bodies byte for byte where they were
// recorded (field order, omitted fields, messages, status codes), keeps its
// state in memory, and offers fault injection and inspection hooks for tests.
package emulator

import (
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures a Server.
type Options struct {
	// Version is what /api/version answers and selects the behaviour:
	// "v1.5.1" (default) or any "v2.*" for the v2 wire shapes and rules.
	Version string
	// Env is Bifrost's process environment, for env.NAME references (and
	// "vault.path" entries for v2 vault references).
	Env map[string]string
	// Username and Password enable dashboard auth when both are set.
	Username, Password string
	// SetupToken is the v2.2.6+ setup lock token: while auth is not enabled,
	// every non-public /api call needs X-Bifrost-Setup-Token.
	SetupToken string
	// KeepUnknownKeyFields simulates a newer server: top-level key fields this
	// version does not know are stored verbatim and returned after the known ones.
	KeepUnknownKeyFields bool
	// Providers are created at start, as a bare POST {"provider":name} would.
	Providers []string
	// Addr is the address Start listens on; default 127.0.0.1:0.
	Addr string
	// LookupIP, when set, resolves host names (not IP literals) for the v2
	// base URL check of network_config.base_url, in place of the built-in
	// stand-in for DNS: localhost as loopback, *.invalid as "no such host",
	// every other name as a public address.
	LookupIP func(host string) ([]net.IP, error)
	// MCPConnectDelay is how long POST /api/mcp/client takes to give up on
	// the MCP server, which the real server does after about 31 s; default
	// 50ms, negative for none.
	MCPConnectDelay time.Duration
	// LoadLocks, when set, refuses writes with "database is locked" more
	// often the more writes are in flight, as SQLite does (see
	// LockUnderLoad); New panics on a setting that is not valid.
	LoadLocks *LoadLocks
}

// Server is the emulated Bifrost management API. It implements http.Handler
// and is safe for concurrent use.
type Server struct {
	opts      Options
	v2        bool
	setupLock bool // v2.2.6+: non-public /api calls need the setup token while auth is off

	mu        sync.Mutex // guards everything below but closing and srv
	env       map[string]string
	providers map[string]*provider
	ownership *ownershipStore // virtual keys, teams, customers, budgets, rate limits, model configs, provider governance
	policy    *policyStore    // routing rules, pricing overrides, plugins, MCP clients, client and proxy config
	sessions  map[string]bool
	discovery map[string]outcome
	requests  []*Request
	faults    []*faultRule
	latency   time.Duration
	readLag   time.Duration
	lockFrac  float64
	lockRand  *rand.Rand
	load      loadState
	dropN     int
	dropMeth  string
	resetN    int
	hangN     int

	closing   chan struct{}
	closeOnce sync.Once
	srv       *http.Server
	ln        net.Listener
}

// New returns a Server that is not listening; use it as an http.Handler.
func New(opts Options) *Server {
	if opts.Version == "" {
		opts.Version = "v1.5.1"
	}
	major, minor, patch := parseVersion(opts.Version)
	s := &Server{
		opts:      opts,
		v2:        major >= 2,
		setupLock: major > 2 || (major == 2 && (minor > 2 || (minor == 2 && patch >= 6))),
		env:       map[string]string{},
		providers: map[string]*provider{},
		ownership: newOwnershipStore(),
		policy:    newPolicyStore(),
		sessions:  map[string]bool{},
		discovery: map[string]outcome{},
		closing:   make(chan struct{}),
	}
	for name, v := range opts.Env {
		s.env[name] = v
	}
	for _, name := range opts.Providers {
		s.providers[name] = &provider{name: name, status: statusUnknown}
	}
	if opts.LoadLocks != nil {
		s.LockUnderLoad(opts.LoadLocks)
	}
	return s
}

// Start returns a Server listening on Options.Addr (default 127.0.0.1:0).
func Start(opts Options) (*Server, error) {
	s := New(opts)
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the base URL of a started Server, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// Close releases hanging requests and, for a started Server, stops listening
// and closes all connections.
func (s *Server) Close() {
	// Stop listening first: a client whose hung request is released would
	// otherwise resend it on a new connection that the server still accepts.
	if s.srv != nil {
		_ = s.srv.Close()
	}
	s.closeOnce.Do(func() { close(s.closing) })
}

// parseVersion reads "vMAJOR.MINOR.PATCH[-suffix]".
func parseVersion(v string) (major, minor, patch int) {
	parts := strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3)
	nums := []*int{&major, &minor, &patch}
	for i, p := range parts {
		end := 0
		for end < len(p) && p[end] >= '0' && p[end] <= '9' {
			end++
		}
		*nums[i], _ = strconv.Atoi(p[:end])
	}
	return major, minor, patch
}

// reply is a response about to be written.
type reply struct {
	status int
	ctype  string
	body   []byte
	header http.Header
	stored bool // a write was applied to state
}

func jsonReply(v any) reply {
	return reply{status: http.StatusOK, ctype: "application/json", body: append(enc(v), '\n')}
}

// errReply is Bifrost's error body, used by every handler for 4xx/5xx. v2
// adds an empty routing_info to extra_fields (raw-exchanges-v2.jsonl).
func (s *Server) errReply(status int, msg string) reply {
	extra := object{}
	if s.v2 {
		extra = object{{"routing_info", object{}}}
	}
	r := jsonReply(object{
		{"is_bifrost_error", false},
		{"status_code", status},
		{"error", object{{"message", msg}}},
		{"extra_fields", extra},
	})
	r.status = status
	return r
}

func textReply(status int, body string) reply {
	return reply{status: status, ctype: "text/plain; charset=utf-8", body: []byte(body)}
}

// call is one routed request.
type call struct {
	r        *http.Request
	body     []byte
	provider string
	keyID    string
	provErr  error
	keyErr   error
}

type handler func(*call) reply

// route maps a path to its handlers by method; public routes skip auth.
type route struct {
	methods map[string]handler
	order   []string
	public  bool
}

func (rt *route) add(method string, h handler) {
	rt.methods[method] = h
	rt.order = append(rt.order, method)
}

func (s *Server) route(c *call) (*route, bool) {
	segs := strings.Split(strings.TrimPrefix(c.r.URL.Path, "/"), "/")
	rt := &route{methods: map[string]handler{}}
	add := rt.add
	// fasthttp's router hands handlers the decoded path, and Bifrost unescapes
	// the parameters once more.
	param := func(i int, what string) (string, error) {
		v, err := url.PathUnescape(segs[i])
		if err != nil {
			return "", errors.New("invalid " + what + " parameter encoding: " + err.Error())
		}
		return v, nil
	}
	switch {
	case len(segs) == 1 && segs[0] == "health":
		add(http.MethodGet, s.health)
		rt.public = true
	case len(segs) < 2 || segs[0] != "api":
		return nil, false
	case len(segs) == 2 && segs[1] == "version":
		add(http.MethodGet, s.version)
		rt.public = true
	case len(segs) == 2 && segs[1] == "keys":
		add(http.MethodGet, s.listAllKeys)
	case len(segs) == 3 && segs[1] == "session" && segs[2] == "is-auth-enabled":
		add(http.MethodGet, s.isAuthEnabled)
		rt.public = true
	case len(segs) == 3 && segs[1] == "session" && segs[2] == "login":
		add(http.MethodPost, s.login)
		rt.public = true
	case len(segs) >= 3 && segs[1] == "governance" && ownershipRoutes[segs[2]]:
		return s.routeOwnership(c, segs, rt)
	case segs[1] == "governance" || segs[1] == "plugins" || segs[1] == "mcp" || segs[1] == "config" || segs[1] == "proxy-config":
		return s.routePolicy(c, segs, rt)
	case segs[1] != "providers":
		return nil, false
	case len(segs) == 2:
		add(http.MethodGet, s.listProviders)
		add(http.MethodPost, s.createProvider)
	case segs[2] == "":
		return nil, false
	case len(segs) == 3:
		c.provider, c.provErr = param(2, "provider")
		add(http.MethodGet, s.getProvider)
		add(http.MethodPut, s.updateProvider)
		add(http.MethodDelete, s.deleteProvider)
	case segs[3] != "keys":
		return nil, false
	case len(segs) == 4:
		c.provider, c.provErr = param(2, "provider")
		add(http.MethodGet, s.listKeys)
		add(http.MethodPost, s.createKey)
	case len(segs) == 5 && segs[4] != "":
		c.provider, c.provErr = param(2, "provider")
		c.keyID, c.keyErr = param(4, "key_id")
		add(http.MethodGet, s.getKey)
		add(http.MethodPut, s.updateKey)
		add(http.MethodDelete, s.deleteKey)
	default:
		return nil, false
	}
	return rt, true
}

// ServeHTTP records the request, applies the armed faults, then routes it.
// A write counts as in flight (see LoadLocks) from after the connection
// faults until its answer is ready, before the client can see it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := s.record(r)
	if s.take(&s.resetN) {
		hijackClose(w)
		return
	}
	release := s.enterWrite(r.Method)
	defer release()
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	rec.Body = string(body)
	s.mu.Unlock()
	if s.take(&s.hangN) {
		select {
		case <-r.Context().Done():
		case <-s.closing:
		}
		release()
		hijackClose(w)
		return
	}
	if d := s.currentLatency(); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	c := &call{r: r, body: body}
	var rp reply
	if f, ok := s.takeFault(r.Method, r.URL.Path); ok {
		rp = f
	} else {
		rp = s.dispatch(c)
	}
	release()
	s.mu.Lock()
	rec.Provider, rec.KeyID = c.provider, c.keyID
	drop := rp.stored && s.dropN > 0 && (s.dropMeth == "" || s.dropMeth == r.Method)
	if drop {
		s.dropN--
	} else {
		rec.Status, rec.Locked = rp.status, isLockAnswer(rp)
	}
	s.mu.Unlock()
	if drop {
		hijackClose(w)
		return
	}
	for name, vals := range rp.header {
		w.Header()[name] = vals
	}
	w.Header().Set("Content-Type", rp.ctype)
	w.WriteHeader(rp.status)
	_, _ = w.Write(rp.body)
}

func (s *Server) dispatch(c *call) reply {
	rt, ok := s.route(c)
	if !ok {
		if c.r.Method != http.MethodGet {
			// The router's not-found handler (governance.md §1.2, from the
			// v1.5.1 handler code). guess: the error envelope is the
			// handlers' own; no recording shows it.
			return s.errReply(http.StatusNotFound, "Route not found: "+c.r.URL.Path)
		}
		return textReply(http.StatusNotFound, "Not Found")
	}
	h, ok := rt.methods[c.r.Method]
	if !ok {
		rp := textReply(http.StatusMethodNotAllowed, "Method Not Allowed")
		rp.header = http.Header{"Allow": {strings.Join(rt.order, ", ")}}
		return rp
	}
	if !rt.public {
		if rp, denied := s.guard(c.r); denied {
			return rp
		}
	}
	return h(c)
}

// hijackClose drops the connection without writing a response. Without a
// hijackable connection (a Server used as a plain http.Handler) it aborts the
// handler with http.ErrAbortHandler instead.
func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) health(*call) reply {
	return jsonReply(object{{"components", object{{"db_pings", "ok"}}}, {"status", "ok"}})
}

func (s *Server) version(*call) reply { return jsonReply(s.opts.Version) }

// badJSON answers a body that failed to decode.
func (s *Server) badJSON(src []byte, err error) reply {
	if s.v2 {
		return s.errReply(http.StatusBadRequest, "Invalid request payload")
	}
	return s.errReply(http.StatusBadRequest, "Invalid JSON: "+sonicMessage(src, err))
}

// decodeBody validates a request body; the error reply is ready to send.
func (s *Server) decodeBody(src []byte) (reply, bool) {
	if len(src) == 0 {
		return s.badJSON(src, &syntaxError{}), false
	}
	if err := validate(src); err != nil {
		return s.badJSON(src, err), false
	}
	return reply{}, true
}
