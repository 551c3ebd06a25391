package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ownershipRoutes are the /api/governance/{name} collections served by
// routeOwnership; every other governance path goes to routePolicy.
var ownershipRoutes = map[string]bool{
	"virtual-keys": true, "teams": true, "customers": true, "budgets": true,
	"rate-limits": true, "model-configs": true, "providers": true,
}

// ownershipStore holds virtual keys, teams, customers, model configs,
// provider governance and the budgets and rate limits they own. Entities
// are kept in creation order, which is the order lists return them in.
type ownershipStore struct {
	vks          []*virtualKey
	teams        []*team
	customers    []*customer
	modelConfigs []*modelConfig    // v2: provider governance lives here too
	providerGov  map[string]limits // v1.5 provider-level limits, by provider name
	seq          int               // creation counter of budgets and rate limits
	nextPC       uint              // autoincrement of VK provider configs
	nextMCP      uint              // autoincrement of VK MCP configs
	keyRows      map[string]int    // config-store row ids of provider keys, by key id
}

func newOwnershipStore() *ownershipStore {
	return &ownershipStore{providerGov: map[string]limits{}, keyRows: map[string]int{}}
}

// routeOwnership routes /api/governance/{virtual-keys,teams,customers,
// budgets,rate-limits,model-configs,providers}[/...].
func (s *Server) routeOwnership(c *call, segs []string, rt *route) (*route, bool) {
	// Like every governance handler, these write JSON with encoding/json's
	// HTML escaping.
	add := func(method string, h handler) {
		rt.add(method, func(c *call) reply {
			rp := h(c)
			rp.body = htmlEscaped(rp.body)
			return rp
		})
	}
	name := segs[2]
	// A trailing slash reaches the collection (recorded: GET .../teams/).
	if len(segs) == 3 || (len(segs) == 4 && segs[3] == "") {
		switch name {
		case "virtual-keys":
			add(http.MethodGet, s.listVKs)
			add(http.MethodPost, s.createVK)
		case "teams":
			add(http.MethodGet, s.listTeams)
			add(http.MethodPost, s.createTeam)
		case "customers":
			add(http.MethodGet, s.listCustomers)
			add(http.MethodPost, s.createCustomer)
		case "model-configs":
			add(http.MethodGet, s.listModelConfigs)
			add(http.MethodPost, s.createModelConfig)
		case "budgets":
			add(http.MethodGet, s.listBudgets)
		case "rate-limits":
			add(http.MethodGet, s.listRateLimits)
		case "providers":
			add(http.MethodGet, s.listProviderGovernance)
		}
		return rt, true
	}
	if len(segs) == 5 && name == "virtual-keys" && segs[4] == "rotate" && s.v2 {
		id := segs[3]
		add(http.MethodPost, func(*call) reply { return s.rotateVK(id) })
		return rt, true
	}
	if len(segs) != 4 {
		return nil, false
	}
	id := segs[3]
	item := func(get, put, del func(*call, string) reply) {
		if get != nil {
			add(http.MethodGet, func(c *call) reply { return get(c, id) })
		} else {
			spaRoute(c, rt) // no GET by name: the dashboard's catch-all answers
		}
		add(http.MethodPut, func(c *call) reply { return put(c, id) })
		add(http.MethodDelete, func(c *call) reply { return del(c, id) })
	}
	switch name {
	case "virtual-keys":
		if id == "rotate" && s.v2 {
			add(http.MethodPost, s.rotateVKs)
		}
		item(s.getVK, s.updateVK, s.deleteVK)
	case "teams":
		item(s.getTeam, s.updateTeam, s.deleteTeam)
	case "customers":
		item(s.getCustomer, s.updateCustomer, s.deleteCustomer)
	case "model-configs":
		item(s.getModelConfig, s.updateModelConfig, s.deleteModelConfig)
	case "providers":
		item(nil, s.updateProviderGovernance, s.deleteProviderGovernance)
	default:
		return nil, false
	}
	return rt, true
}

// governanceScopeExists reports whether a team, customer or virtual key
// ("team", "customer", "virtual_key") with that id exists. Callers hold s.mu.
func (s *Server) governanceScopeExists(scope, id string) bool {
	switch scope {
	case "team":
		return s.findTeam(id) != nil
	case "customer":
		return s.findCustomer(id) != nil
	case "virtual_key":
		return s.findVK(id) != nil
	}
	return false
}

// optString is a request string that tells "left out", null and a value
// apart (v2 OptionalJSON); v1.5 handlers only see "set and not null".
type optString struct {
	set, null bool
	val       string
}

func (o *optString) UnmarshalJSON(b []byte) error {
	o.set = true
	if string(b) == "null" {
		o.null = true
		return nil
	}
	return json.Unmarshal(b, &o.val)
}

// given is a v1.5 *string that is not nil.
func (o optString) given() bool { return o.set && !o.null }

// valued is a v2 OptionalJSON holding a non-empty value.
func (o optString) valued() bool { return o.given() && o.val != "" }

// decodeGov decodes a governance request body the way the handlers do
// (encoding/json), answering any failure with 400 "Invalid JSON".
func (s *Server) decodeGov(body []byte, v any) (reply, bool) {
	if err := json.Unmarshal(body, v); err != nil {
		return s.errReply(http.StatusBadRequest, "Invalid JSON"), false
	}
	return reply{}, true
}

// saved answers a successful write with a response map (goMap: keys
// sorted).
func saved(members ...kv) reply { return stored(jsonReply(goMap(members...))) }

// page is a list request's pagination: without limit, offset or search (or
// a filter that switches to the paginated query) every row is listed.
type page struct {
	paged         bool
	limit, offset int
	search        string
}

// clamp is ClampPaginationParams: limit ≤ 0 → 25, > 100 → 100,
// negative offset → 0.
func (p *page) clamp() {
	if p.limit <= 0 {
		p.limit = 25
	}
	p.limit = min(p.limit, 100)
	p.offset = max(p.offset, 0)
}

// lenientPage reads limit and offset as teams and customers do (bad numbers
// count as 0).
func lenientPage(q url.Values, filters ...string) page {
	p := page{search: q.Get("search")}
	p.paged = q.Get("limit") != "" || q.Get("offset") != "" || p.search != ""
	for _, f := range filters {
		p.paged = p.paged || q.Get(f) != ""
	}
	p.limit, _ = strconv.Atoi(q.Get("limit"))
	p.offset, _ = strconv.Atoi(q.Get("offset"))
	p.clamp()
	return p
}

// strictPage reads limit and offset as virtual keys and model configs do.
func (s *Server) strictPage(q url.Values, filters ...string) (page, reply, bool) {
	p := lenientPage(q, filters...)
	for _, f := range []struct {
		name string
		dst  *int
	}{{"limit", &p.limit}, {"offset", &p.offset}} {
		v := q.Get(f.name)
		if v == "" {
			*f.dst = 0
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, s.errReply(http.StatusBadRequest, "Invalid "+f.name+" parameter: must be a number"), false
		}
		if n < 0 {
			return p, s.errReply(http.StatusBadRequest, "Invalid "+f.name+" parameter: must be non-negative"), false
		}
		*f.dst = n
	}
	p.clamp()
	return p, reply{}, true
}

// matches is the paginated query's name search (SQL LIKE %search%, case
// insensitive for ASCII on SQLite).
func (p page) matches(name string) bool {
	return strings.Contains(strings.ToLower(name), strings.ToLower(p.search))
}

// listReply is the list envelope: every row when the request is not paged,
// else the page of rows with the total before paging.
func listReply[T any](plural string, rows []T, p page, render func(T) any, nilWhenEmpty bool) reply {
	total := len(rows)
	limit, offset := total, 0
	if p.paged {
		limit, offset = p.limit, p.offset
		rows = rows[min(offset, total):min(offset+limit, total)]
	}
	var out []any
	for _, r := range rows {
		out = append(out, render(r))
	}
	var items any = out
	if out == nil && !nilWhenEmpty {
		items = []any{}
	}
	return jsonReply(goMap(kv{plural, items}, kv{"count", len(rows)}, kv{"total_count", total}, kv{"limit", limit}, kv{"offset", offset}))
}

// lockFailed answers a write that hit the injected database lock (see
// LockWrites) with the handler's error for a failed store write; msg is the
// fixed message, or prefix+"database is locked" when it is "".
func (s *Server) lockFailed(prefix, msg string) (reply, bool) {
	if !s.lockedWrite() {
		return reply{}, false
	}
	if msg == "" {
		msg = prefix + dbLocked
	}
	return s.errReply(http.StatusInternalServerError, msg), true
}
