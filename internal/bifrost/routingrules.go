package bifrost

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/cel-go/cel"
)

// Routing rules (`/api/governance/routing-rules`, governance.md §2.4): a CEL
// expression matched against each request, weighted targets, fallbacks,
// evaluated in ascending priority within a scope (virtual_key > team >
// customer > global), the first match winning.
//
// Rules every caller must respect (the server's):
//   - (scope, scope_id, priority) is unique: a second rule at a taken
//     priority is refused with a 500 "routing rule with priority N already
//     exists for scope 'S'" (IsPriorityTaken), on create and on update. Two
//     rules left at the default priority 0 in one scope collide.
//   - Names are unique per (name, scope, scope_id) by an index that NULL
//     scope_ids make ineffective for global rules: only team, customer and
//     virtual key scoped names are unique.
//   - Update is partial: name only when non-empty; targets replace all
//     ([] is a 400); fallbacks replace ([] clears); scope only when
//     non-empty; scope_id when present; the priority's uniqueness is checked
//     again. A rule whose scope becomes global loses its scope_id.
//   - v1.5.1 does not validate cel_expression nor that scope_id exists; v2
//     refuses both with a 400.
//   - Ids are server-chosen UUIDs: a create is never repeated after an
//     answer that may hide a stored write (POSTs are not retried, except
//     after a lock answer, which stored nothing).

// RoutingTarget is one weighted target of a rule. An empty Provider or
// Model means the request's own; KeyID (a provider key id) needs Provider.
type RoutingTarget struct {
	Provider string  `json:"provider,omitempty"`
	Model    string  `json:"model,omitempty"`
	KeyID    string  `json:"key_id,omitempty"`
	Weight   float64 `json:"weight"`
}

// RoutingRule is a rule as the server returns it. Query is the dashboard's
// rule-builder state, kept as the server sent it.
type RoutingRule struct {
	ID            string          `json:"id"`
	ConfigHash    string          `json:"config_hash,omitempty"`
	Name          string          `json:"name"`
	Description   string          `json:"description"`
	Enabled       bool            `json:"enabled"`
	CelExpression string          `json:"cel_expression"`
	Targets       []RoutingTarget `json:"targets"`
	// Fallbacks ("provider/model", or "provider/" for the request's model)
	// are absent when there are none.
	Fallbacks []string       `json:"fallbacks,omitempty"`
	Query     map[string]any `json:"query,omitempty"`
	Scope     string         `json:"scope"`
	// ScopeID is null for global rules.
	ScopeID   *string `json:"scope_id"`
	ChainRule bool    `json:"chain_rule"`
	Priority  int64   `json:"priority"`
	CreatedAt string  `json:"created_at,omitempty"`
	UpdatedAt string  `json:"updated_at,omitempty"`
}

// ScopeIDValue is the rule's scope_id, "" for none.
func (r *RoutingRule) ScopeIDValue() string {
	if r.ScopeID == nil {
		return ""
	}
	return *r.ScopeID
}

// RoutingRuleCreate is the body of a rule create. Only name and at least
// one target are required by the server: scope defaults to "global",
// priority to 0, enabled to true, chain_rule to false; a scope_id sent with
// the global scope is dropped.
type RoutingRuleCreate struct {
	Name          string          `json:"name"`
	Description   string          `json:"description,omitempty"`
	Enabled       *bool           `json:"enabled,omitempty"`
	ChainRule     *bool           `json:"chain_rule,omitempty"`
	CelExpression string          `json:"cel_expression,omitempty"`
	Targets       []RoutingTarget `json:"targets"`
	Fallbacks     []string        `json:"fallbacks,omitempty"`
	Scope         string          `json:"scope,omitempty"`
	ScopeID       string          `json:"scope_id,omitempty"`
	Priority      int64           `json:"priority,omitempty"`
}

// RoutingRuleUpdate is the body of a rule update: a nil pointer leaves the
// field as it is (see the rules above). Fallbacks: a pointer to an empty
// list clears them. Scope "global" drops the scope_id.
type RoutingRuleUpdate struct {
	Name          *string          `json:"name,omitempty"`
	Description   *string          `json:"description,omitempty"`
	Enabled       *bool            `json:"enabled,omitempty"`
	ChainRule     *bool            `json:"chain_rule,omitempty"`
	CelExpression *string          `json:"cel_expression,omitempty"`
	Targets       *[]RoutingTarget `json:"targets,omitempty"`
	Fallbacks     *[]string        `json:"fallbacks,omitempty"`
	Scope         *string          `json:"scope,omitempty"`
	ScopeID       *string          `json:"scope_id,omitempty"`
	Priority      *int64           `json:"priority,omitempty"`
}

type routingRuleEnvelope struct {
	Message string       `json:"message"`
	Rule    *RoutingRule `json:"rule"`
}

type routingRuleList struct {
	Rules      []RoutingRule `json:"rules"`
	Count      int           `json:"count"`
	TotalCount int           `json:"total_count"`
}

const routingRulesCollection = "routing-rules"

var routingRulesPath = governancePath + "/" + routingRulesCollection

// RoutingScopes are the scopes of a rule, as the server's message lists them.
var RoutingScopes = []string{"global", "team", "customer", "virtual_key"}

// routingV2Providers are the built-in provider types that Bifrost v1.5.1
// does not know (a fallback naming one is refused there).
var routingV2Providers = []string{"bedrock_mantle", "deepseek", "opencode-go", "opencode-zen", "runware", "sarvam", "wafer", "zro", "databricks"}

// IsV2OnlyProvider reports whether a built-in provider type is new in
// Bifrost v2 (unknown to v1.5.1).
func IsV2OnlyProvider(name string) bool { return slices.Contains(routingV2Providers, name) }

// ListRoutingRules returns every rule (unpaginated).
func (c *Client) ListRoutingRules(ctx context.Context) ([]RoutingRule, error) {
	var out routingRuleList
	err := c.do(ctx, http.MethodGet, routingRulesPath, nil, &out)
	return out.Rules, err
}

// GetRoutingRule returns one rule; a missing one is a not-found error.
func (c *Client) GetRoutingRule(ctx context.Context, id string) (*RoutingRule, error) {
	return c.routingRuleCall(ctx, http.MethodGet, governanceItemPath(routingRulesCollection, id), nil)
}

// CreateRoutingRule creates a rule. It is sent once (a lock answer aside):
// after an error that may hide a stored write (no answer, a 5xx other than
// IsPriorityTaken), look for the rule at its (scope, scope_id, priority)
// before concluding.
func (c *Client) CreateRoutingRule(ctx context.Context, in RoutingRuleCreate) (*RoutingRule, error) {
	return c.routingRuleCall(ctx, http.MethodPost, routingRulesPath, in)
}

// UpdateRoutingRule applies in to the rule id (see RoutingRuleUpdate) and
// returns the rule as stored.
func (c *Client) UpdateRoutingRule(ctx context.Context, id string, in RoutingRuleUpdate) (*RoutingRule, error) {
	return c.routingRuleCall(ctx, http.MethodPut, governanceItemPath(routingRulesCollection, id), in)
}

// DeleteRoutingRule deletes a rule. A missing rule is a not-found error.
func (c *Client) DeleteRoutingRule(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, governanceItemPath(routingRulesCollection, id), nil, nil)
}

func (c *Client) routingRuleCall(ctx context.Context, method, path string, in any) (*RoutingRule, error) {
	var out routingRuleEnvelope
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return nil, err
	}
	if out.Rule == nil {
		return nil, envelopeMissing(method, path, "rule")
	}
	return out.Rule, nil
}

// priorityTaken is the store's refusal of a second rule at a taken
// (scope, scope_id, priority), wrapped by the create ("Failed to create
// routing rule: ") and update ("Failed to update routing rule in database:
// ") handlers in a 500.
var priorityTaken = regexp.MustCompile(`routing rule with priority (-?\d+) already exists for scope '([^']*)'`)

// IsPriorityTaken reports whether err is the server's refusal of a rule at
// a priority another rule of its scope has, and that priority.
func IsPriorityTaken(err error) (int64, bool) {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != http.StatusInternalServerError {
		return 0, false
	}
	m := priorityTaken.FindStringSubmatch(e.Message)
	if m == nil {
		return 0, false
	}
	p, perr := strconv.ParseInt(m[1], 10, 64)
	return p, perr == nil
}

// SameRoutingTargets reports whether two target lists are the same, in
// order (provider and model compared as the server compares duplicates,
// case-insensitively).
func SameRoutingTargets(a, b []RoutingTarget) bool {
	return slices.EqualFunc(a, b, func(x, y RoutingTarget) bool {
		return strings.EqualFold(x.Provider, y.Provider) && strings.EqualFold(x.Model, y.Model) && x.KeyID == y.KeyID && x.Weight == y.Weight
	})
}

// RoutingCELEnv is the environment Bifrost compiles routing expressions in:
// its routing variables (plugins/governance upstream). The resource checks
// expressions in it at plan time; the emulator compiles them in it as the
// server does.
var RoutingCELEnv = sync.OnceValues(func() (*cel.Env, error) {
	return cel.NewEnv(
		cel.Variable("model", cel.StringType),
		cel.Variable("provider", cel.StringType),
		cel.Variable("request_type", cel.StringType),
		cel.Variable("headers", cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable("params", cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable("virtual_key_id", cel.StringType),
		cel.Variable("virtual_key_name", cel.StringType),
		cel.Variable("team_id", cel.StringType),
		cel.Variable("team_name", cel.StringType),
		cel.Variable("customer_id", cel.StringType),
		cel.Variable("customer_name", cel.StringType),
		cel.Variable("tokens_used", cel.DoubleType),
		cel.Variable("request", cel.DoubleType),
		cel.Variable("budget_used", cel.DoubleType),
	)
})
