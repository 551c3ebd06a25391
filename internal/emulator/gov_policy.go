package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// policyStore holds routing rules, pricing overrides, plugins and the client
// and proxy configuration. MCP clients are created through the API when the
// emulator can connect to their MCP server, or added by tests
// (Server.AddMCPClient); see gov_policy_mcp.go.
type policyStore struct {
	rules     []*routingRule     // creation order
	overrides []*pricingOverride // creation order
	plugins   []*plugin          // creation order
	pluginSeq uint               // last plugin row id
	client    *clientConfig      // nil until first used (see Server.configs)
	framework *frameworkConfig   // set with client
	proxy     *proxyConfig       // nil until the first PUT /api/proxy-config
	restart   string             // restart_required reason; "" when none is pending
	mcp       mcpStore           // MCP clients added by tests
}

func newPolicyStore() *policyStore { return &policyStore{} }

// routePolicy routes /api/governance/{routing-rules,pricing-overrides}[/...],
// /api/plugins[/...], /api/mcp/..., /api/config and /api/proxy-config.
func (s *Server) routePolicy(c *call, segs []string, rt *route) (*route, bool) {
	// A trailing slash names the collection, as GET /api/governance/teams/
	// does on the real server (governance-exchanges.jsonl).
	if n := len(segs); n > 2 && segs[n-1] == "" {
		segs = segs[:n-1]
	}
	add := rt.add
	id := lastSeg(segs)
	with := func(h func(*call, string) reply) handler {
		return func(c *call) reply { return h(c, id) }
	}
	switch {
	case segs[1] == "mcp" && strings.HasSuffix(s.opts.Version, "-lite"):
		// The "lite" v2 builds leave MCP out: its paths reach only the
		// dashboard's GET, every other method is 405 (governance-exchanges-v2.jsonl).
		spaRoute(c, rt)
	case segs[1] == "mcp" && len(segs) == 3 && segs[2] == "clients":
		add(http.MethodGet, s.listMCPClients)
	case segs[1] == "mcp" && len(segs) == 3 && segs[2] == "client":
		add(http.MethodPost, s.createMCPClient)
	case segs[1] == "mcp" && len(segs) == 4 && segs[2] == "client":
		// There is no GET by id: it falls through to the dashboard.
		spaRoute(c, rt)
		add(http.MethodPut, with(s.updateMCPClient))
		add(http.MethodDelete, with(s.deleteMCPClient))
	case len(segs) == 2 && segs[1] == "config":
		add(http.MethodGet, s.getClientConfig)
		add(http.MethodPut, s.updateClientConfig)
	case len(segs) == 2 && segs[1] == "proxy-config":
		add(http.MethodGet, s.getProxyConfig)
		add(http.MethodPut, s.updateProxyConfig)
	case segs[1] == "plugins" && len(segs) == 2:
		add(http.MethodGet, s.listPlugins)
		add(http.MethodPost, s.createPlugin)
	case segs[1] == "plugins" && len(segs) == 3:
		add(http.MethodGet, with(s.getPlugin))
		add(http.MethodPut, with(s.updatePlugin))
		add(http.MethodDelete, with(s.deletePlugin))
	case segs[1] != "governance" || len(segs) < 3:
		return nil, false
	case segs[2] == "routing-rules" && len(segs) == 3:
		add(http.MethodGet, s.listRoutingRules)
		add(http.MethodPost, s.createRoutingRule)
	case segs[2] == "routing-rules" && len(segs) == 4:
		add(http.MethodGet, with(s.getRoutingRule))
		add(http.MethodPut, with(s.updateRoutingRule))
		add(http.MethodDelete, with(s.deleteRoutingRule))
	case segs[2] == "pricing-overrides" && len(segs) == 3:
		add(http.MethodGet, s.listPricingOverrides)
		add(http.MethodPost, s.createPricingOverride)
	case segs[2] == "pricing-overrides" && len(segs) == 4:
		// There is no GET by id: it falls through to the dashboard.
		spaRoute(c, rt)
		add(http.MethodPut, with(s.updatePricingOverride))
		add(http.MethodDelete, with(s.deletePricingOverride))
	default:
		return nil, false
	}
	return rt, true
}

// lastSeg is the last path segment, unescaped once more as Bifrost does
// with path parameters.
func lastSeg(segs []string) string {
	v := segs[len(segs)-1]
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// spaRoute registers the dashboard's catch-all GET on rt. The dashboard is
// served without the auth middleware, so a GET on such a route is public.
func spaRoute(c *call, rt *route) {
	rt.add(http.MethodGet, func(*call) reply {
		return reply{status: http.StatusOK, ctype: "text/html; charset=utf-8", body: []byte(spaPage)}
	})
	rt.public = c.r.Method == http.MethodGet
}

// spaPage is what an unrouted GET answers on a server built without the
// dashboard (governance-exchanges.jsonl).
const spaPage = "<!doctype html><title>Bifrost (UI not built)</title>\n"

// policyJSON is a JSON reply written the way these handlers write: with
// encoding/json's HTML escaping ("<" as \u003c), unlike the provider handlers.
func policyJSON(status int, v any) reply {
	rp := jsonReply(v)
	rp.status = status
	rp.body = htmlEscaped(rp.body)
	return rp
}

// policyErr is s.errReply, HTML-escaped like every body of these handlers.
func (s *Server) policyErr(status int, msg string) reply {
	rp := s.errReply(status, msg)
	rp.body = htmlEscaped(rp.body)
	return rp
}

func htmlEscaped(b []byte) []byte {
	var out bytes.Buffer
	json.HTMLEscape(&out, b)
	return out.Bytes()
}

// stored marks a reply whose write was applied to state.
func stored(rp reply) reply {
	rp.stored = true
	return rp
}

// policyStamp is a row timestamp as GORM's time.Time serialises (UTC server).
func policyStamp() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// listPage is a list request's ?limit, ?offset and ?search. paged reports
// whether any of them was given, which switches a list to its paginated
// store query.
type listPage struct {
	limit, offset int
	search        string
	paged         bool
}

// policyPage reads the page parameters, clamped like ClampPaginationParams
// (limit 0 → 25, above 100 → 100); a bad number is a 400.
func (s *Server) policyPage(c *call) (listPage, reply, bool) {
	q := c.r.URL.Query()
	p := listPage{search: q.Get("search")}
	p.paged = q.Get("limit") != "" || q.Get("offset") != "" || p.search != ""
	for _, m := range []struct {
		name string
		dst  *int
	}{{"limit", &p.limit}, {"offset", &p.offset}} {
		v := q.Get(m.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			return p, s.policyErr(http.StatusBadRequest, "Invalid "+m.name+" parameter: must be a number"), false
		case n < 0:
			return p, s.policyErr(http.StatusBadRequest, "Invalid "+m.name+" parameter: must be non-negative"), false
		}
		*m.dst = n
	}
	if p.limit <= 0 {
		p.limit = 25
	}
	p.limit = min(p.limit, 100)
	return p, reply{}, true
}

// matches is the paginated query's name search (a case-insensitive LIKE).
func (p listPage) matches(name string) bool {
	return strings.Contains(strings.ToLower(name), strings.ToLower(p.search))
}

// envelope is a list body: one page of items with count, total_count,
// limit and offset; unpaginated lists report everything, limit = count.
func (p listPage) envelope(name string, items []any) object {
	total, limit, offset := len(items), len(items), 0
	if p.paged {
		from := min(p.offset, total)
		items = items[from:min(from+p.limit, total)]
		limit, offset = p.limit, p.offset
	}
	return goMap(kv{name, items}, kv{"count", len(items)}, kv{"total_count", total}, kv{"limit", limit}, kv{"offset", offset})
}

// goMap is an object written the way encoding/json writes a Go map, as the
// handlers' envelopes are: keys sorted.
func goMap(members ...kv) object {
	o := object(members)
	slices.SortFunc(o, func(a, b kv) int { return strings.Compare(a.k, b.k) })
	return o
}

// whitelistErr is schemas.WhiteList.Validate: "*" alone or not at all, and
// no duplicates (case-insensitively).
func whitelistErr(list []string) string {
	seen := map[string]bool{}
	for _, v := range list {
		if v == "*" && len(list) > 1 {
			return "wildcard '*' cannot be used with other values in the whitelist"
		}
	}
	for _, v := range list {
		if seen[strings.ToLower(v)] {
			return "duplicate value '" + v + "' in whitelist"
		}
		seen[strings.ToLower(v)] = true
	}
	return ""
}
