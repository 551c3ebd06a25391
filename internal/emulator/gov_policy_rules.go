package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// routingRule is a row of /api/governance/routing-rules.
type routingRule struct {
	id, name, description string
	enabled, chain        bool
	cel                   string
	targets               []ruleTarget
	fallbacks             []string
	query                 map[string]any
	scope                 string
	scopeID               *string // nil for global rules
	priority              int
	created, updated      string
}

// ruleTarget is one weighted target; a nil pointer means "the request's own".
type ruleTarget struct {
	Provider *string `json:"provider"`
	Model    *string `json:"model"`
	KeyID    *string `json:"key_id"`
	Weight   float64 `json:"weight"`
}

// ruleRequest is the create and update body; absent members stay nil.
type ruleRequest struct {
	Name          *string        `json:"name"`
	Description   *string        `json:"description"`
	Enabled       *bool          `json:"enabled"`
	ChainRule     *bool          `json:"chain_rule"`
	CelExpression *string        `json:"cel_expression"`
	Targets       []ruleTarget   `json:"targets"`
	Fallbacks     []string       `json:"fallbacks"`
	Query         map[string]any `json:"query"`
	Priority      *int           `json:"priority"`
	Scope         *string        `json:"scope"`
	ScopeID       *string        `json:"scope_id"`
}

func (r *routingRule) wire() object {
	targets := []any{}
	for _, t := range r.targets {
		o := object{}
		for _, m := range []struct {
			k string
			v *string
		}{{"provider", t.Provider}, {"model", t.Model}, {"key_id", t.KeyID}} {
			if m.v != nil {
				o = append(o, kv{m.k, *m.v})
			}
		}
		targets = append(targets, append(o, kv{"weight", t.Weight}))
	}
	o := object{
		{"id", r.id}, {"config_hash", ""}, {"name", r.name}, {"description", r.description},
		{"enabled", r.enabled}, {"cel_expression", r.cel}, {"targets", targets},
	}
	if len(r.fallbacks) > 0 {
		o = append(o, kv{"fallbacks", r.fallbacks})
	}
	if len(r.query) > 0 {
		o = append(o, kv{"query", r.query})
	}
	var scopeID any
	if r.scopeID != nil {
		scopeID = *r.scopeID
	}
	return append(o, kv{"scope", r.scope}, kv{"scope_id", scopeID}, kv{"chain_rule", r.chain},
		kv{"priority", r.priority}, kv{"created_at", r.created}, kv{"updated_at", r.updated})
}

// routingScopes are the scopes a rule can have, in the message's order.
var routingScopes = []string{"global", "team", "customer", "virtual_key"}

// ruleTargetsErr is validateRoutingTargets.
func ruleTargetsErr(targets []ruleTarget) string {
	seen := map[string]bool{}
	total := 0.0
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, t := range targets {
		if t.Weight <= 0 {
			return "each target weight must be positive"
		}
		if str(t.KeyID) != "" && str(t.Provider) == "" {
			return "key_id requires provider to be set"
		}
		provider, model, keyID := strings.ToLower(str(t.Provider)), strings.ToLower(str(t.Model)), str(t.KeyID)
		id := provider + "|" + model + "|" + keyID
		if seen[id] {
			return fmt.Sprintf("duplicate target entry: provider=%q model=%q key_id=%q", provider, model, keyID)
		}
		seen[id] = true
		total += t.Weight
	}
	if math.Abs(total-1) > 0.001 {
		return fmt.Sprintf("target weights must sum to 1, got %.4f", total)
	}
	return ""
}

// fallbacksErr is validateRoutingFallbacks: each fallback must start with a
// standard provider ("openai/gpt-4o", or "azure/" for the request's model).
func (s *Server) fallbacksErr(fallbacks []string) string {
	for i, fb := range fallbacks {
		if strings.TrimSpace(fb) == "" {
			return fmt.Sprintf("fallbacks[%d] must not be empty", i)
		}
		provider, _, found := strings.Cut(fb, "/")
		if !found || !s.isStandard(provider) {
			return fmt.Sprintf(`fallbacks[%d] %q is invalid: must use a known provider prefix (e.g. "openai/gpt-4o" or "azure/" for the incoming model)`, i, fb)
		}
	}
	return ""
}

var (
	// headerKeys and paramKeys find the map keys NormalizeMapKeysInCEL lowercases.
	headerKeys = regexp.MustCompile(`headers\[["']([^"']+)["']\]|["']([^"']+)["']\s+in\s+headers`)
	paramKeys  = regexp.MustCompile(`params\[["']([^"']+)["']\]|["']([^"']+)["']\s+in\s+params`)
)

// celErr is v2's ValidateRoutingCELExpression: the expression, its header
// and param keys lowercased, must contain an operator and compile against the
// routing variables. The message is what the handler puts after
// "invalid CEL expression: ".
func celErr(expr string) string {
	if strings.TrimSpace(expr) == "" {
		return ""
	}
	celEnv, celEnvErr := bifrost.RoutingCELEnv()
	if celEnvErr != nil {
		return "failed to initialize CEL environment: " + celEnvErr.Error()
	}
	expr = headerKeys.ReplaceAllStringFunc(expr, strings.ToLower)
	expr = paramKeys.ReplaceAllStringFunc(expr, strings.ToLower)
	if trimmed := strings.TrimSpace(expr); trimmed != "true" && trimmed != "false" &&
		!slices.ContainsFunc([]string{"==", "!=", "&&", "||", ">", "<", "in ", "matches ", ".startsWith(",
			".contains(", ".endsWith(", "[", "]", "(", ")", "!"}, func(op string) bool { return strings.Contains(trimmed, op) }) {
		return "expression must contain at least one operator: " + expr
	}
	if _, iss := celEnv.Compile(expr); iss != nil && iss.Err() != nil {
		return "CEL compile error: " + iss.Err().Error()
	}
	return ""
}

// scopeIDErr is v2's check that a rule's scope_id names an existing entity.
func (s *Server) scopeIDErr(scope, id string) string {
	if s.governanceScopeExists(scope, id) {
		return ""
	}
	what := map[string]string{"team": "team", "customer": "customer", "virtual_key": "virtual key"}[scope]
	return fmt.Sprintf("%s '%s' not found: routing rule scope_id not found", what, id)
}

// ruleConflict is the store's check that (scope, scope_id, priority) is
// unique, then (guessed from the name index) that a non-global scope has
// one rule of a name. s.mu is held.
func (s *Server) ruleConflict(r *routingRule) string {
	for _, o := range s.policy.rules {
		if o.id != r.id && o.scope == r.scope && ptrEq(o.scopeID, r.scopeID) && o.priority == r.priority {
			return fmt.Sprintf("routing rule with priority %d already exists for scope '%s'", r.priority, r.scope)
		}
	}
	for _, o := range s.policy.rules {
		if o.id != r.id && r.scopeID != nil && o.scope == r.scope && ptrEq(o.scopeID, r.scopeID) && o.name == r.name {
			return "a record with this name already exists. Please use a different value" // guessed: the unique index violation, parsed
		}
	}
	return ""
}

func ptrEq(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// checkRuleScope validates scope and scope_id the way both handlers end.
// scopeChanged is whether the request touched them (v2 re-checks the id only
// then on update).
func (s *Server) checkRuleScope(r *routingRule, scopeChanged bool) (reply, bool) {
	if !slices.Contains(routingScopes, r.scope) {
		return s.policyErr(http.StatusBadRequest, fmt.Sprintf("invalid scope %q: must be one of: %s", r.scope, strings.Join(routingScopes, ", "))), false
	}
	if r.scope == "global" {
		r.scopeID = nil
		return reply{}, true
	}
	if r.scopeID == nil || *r.scopeID == "" {
		return s.policyErr(http.StatusBadRequest, "scope_id field is required when scope is not global"), false
	}
	if s.v2 && scopeChanged {
		if msg := s.scopeIDErr(r.scope, *r.scopeID); msg != "" {
			return s.policyErr(http.StatusBadRequest, msg), false
		}
	}
	return reply{}, true
}

func (s *Server) findRule(id string) *routingRule {
	for _, r := range s.policy.rules {
		if r.id == id {
			return r
		}
	}
	return nil
}

// listRoutingRules filters by ?scope/?scope_id, unpaginated, or else pages
// with ?limit/?offset/?search. Rules come in ascending priority (guessed:
// the order the router evaluates them), ties in creation order.
func (s *Server) listRoutingRules(c *call) reply {
	q := c.r.URL.Query()
	scope, scopeID := q.Get("scope"), q.Get("scope_id")
	page := listPage{}
	if scope == "" && scopeID == "" {
		var rp reply
		var ok bool
		if page, rp, ok = s.policyPage(c); !ok {
			return rp
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rules := slices.Clone(s.policy.rules)
	slices.SortStableFunc(rules, func(a, b *routingRule) int { return a.priority - b.priority })
	items := []any{}
	for _, r := range rules {
		if (scope == "" || r.scope == scope) && (scopeID == "" || (r.scopeID != nil && *r.scopeID == scopeID)) && page.matches(r.name) {
			items = append(items, r.wire())
		}
	}
	return policyJSON(http.StatusOK, page.envelope("rules", items))
}

func (s *Server) getRoutingRule(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.findRule(id)
	if r == nil {
		return s.policyErr(http.StatusNotFound, "Routing rule not found")
	}
	return policyJSON(http.StatusOK, goMap(kv{"rule", r.wire()}))
}

// createRoutingRule checks in the handler's order: name, targets, fallbacks,
// (v2) CEL, scope, scope_id, then the store's uniqueness.
func (s *Server) createRoutingRule(c *call) reply {
	var req ruleRequest
	if json.Unmarshal(c.body, &req) != nil {
		return s.policyErr(http.StatusBadRequest, "Invalid JSON")
	}
	r := &routingRule{id: uuid.NewString(), enabled: true, scope: "global", targets: req.Targets,
		fallbacks: req.Fallbacks, query: req.Query, scopeID: req.ScopeID}
	setIf(&r.name, req.Name)
	setIf(&r.description, req.Description)
	setIf(&r.enabled, req.Enabled)
	setIf(&r.chain, req.ChainRule)
	setIf(&r.cel, req.CelExpression)
	setIf(&r.priority, req.Priority)
	if req.Scope != nil && *req.Scope != "" {
		r.scope = *req.Scope
	}
	switch {
	case r.name == "":
		return s.policyErr(http.StatusBadRequest, "name field is required")
	case len(r.targets) == 0:
		return s.policyErr(http.StatusBadRequest, "at least one target is required")
	}
	msg := ruleTargetsErr(r.targets)
	if msg == "" {
		msg = s.fallbacksErr(r.fallbacks)
	}
	if msg == "" && s.v2 {
		msg = s.invalidCEL(r.cel)
	}
	if msg != "" {
		return s.policyErr(http.StatusBadRequest, msg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rp, ok := s.checkRuleScope(r, true); !ok {
		return rp
	}
	if msg := s.ruleConflict(r); msg != "" {
		return s.policyErr(http.StatusInternalServerError, "Failed to create routing rule: "+msg)
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to create routing rule: "+dbLocked)
	}
	r.created = policyStamp()
	r.updated = r.created
	s.policy.rules = append(s.policy.rules, r)
	return stored(policyJSON(http.StatusOK, goMap(kv{"message", "Routing rule created successfully"}, kv{"rule", r.wire()})))
}

// invalidCEL is v2's message for a malformed cel_expression, "" if valid.
func (s *Server) invalidCEL(expr string) string {
	if msg := celErr(expr); msg != "" {
		return "invalid CEL expression: " + msg
	}
	return ""
}

// updateRoutingRule is a partial update: name only when non-empty, targets,
// fallbacks and query replaced when sent, scope only when non-empty.
func (s *Server) updateRoutingRule(c *call, id string) reply {
	var req ruleRequest
	if json.Unmarshal(c.body, &req) != nil {
		return s.policyErr(http.StatusBadRequest, "Invalid JSON")
	}
	s.mu.Lock()
	cur := s.findRule(id)
	var r routingRule
	if cur != nil {
		r = *cur
	}
	s.mu.Unlock()
	if cur == nil {
		return s.policyErr(http.StatusNotFound, "Routing rule not found")
	}
	if req.Name != nil && *req.Name != "" {
		r.name = *req.Name
	}
	setIf(&r.description, req.Description)
	setIf(&r.enabled, req.Enabled)
	setIf(&r.chain, req.ChainRule)
	setIf(&r.cel, req.CelExpression)
	var msg string
	if s.v2 && req.CelExpression != nil {
		msg = s.invalidCEL(r.cel)
	}
	switch {
	case msg != "" || req.Targets == nil:
	case len(req.Targets) == 0:
		msg = "at least one routing target is required"
	default:
		msg = ruleTargetsErr(req.Targets)
		r.targets = req.Targets
	}
	if msg == "" {
		msg = s.fallbacksErr(req.Fallbacks)
	}
	if msg != "" {
		return s.policyErr(http.StatusBadRequest, msg)
	}
	setIf(&r.priority, req.Priority)
	if req.Query != nil {
		r.query = req.Query
	}
	if req.Fallbacks != nil {
		r.fallbacks = req.Fallbacks
	}
	if req.Scope != nil && *req.Scope != "" {
		r.scope = *req.Scope
	}
	if req.ScopeID != nil {
		r.scopeID = req.ScopeID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rp, ok := s.checkRuleScope(&r, req.Scope != nil || req.ScopeID != nil); !ok {
		return rp
	}
	if s.findRule(id) == nil {
		return s.policyErr(http.StatusNotFound, "Routing rule not found")
	}
	if msg := s.ruleConflict(&r); msg != "" {
		return s.policyErr(http.StatusInternalServerError, "Failed to update routing rule in database: "+msg)
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to update routing rule in database: "+dbLocked)
	}
	r.updated = policyStamp()
	*s.findRule(id) = r
	return stored(policyJSON(http.StatusOK, goMap(kv{"message", "Routing rule updated successfully"}, kv{"rule", r.wire()})))
}

func (s *Server) deleteRoutingRule(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.policy.rules, func(r *routingRule) bool { return r.id == id })
	if i < 0 {
		return s.policyErr(http.StatusNotFound, "Routing rule not found")
	}
	if s.lockedWrite() {
		return s.policyErr(http.StatusInternalServerError, "Failed to delete routing rule from database: "+dbLocked)
	}
	s.policy.rules = slices.Delete(s.policy.rules, i, i+1)
	return stored(policyJSON(http.StatusOK, goMap(kv{"message", "Routing rule deleted successfully"})))
}

// setIf copies a request member that was sent.
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
