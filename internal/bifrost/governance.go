package bifrost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Governance: virtual keys, teams and customers, each owning budgets and a
// rate limit (shared/bifrost-api/governance.md §2.1–2.3). Budgets and rate
// limits have no endpoints of their own but two read-only lists: they are
// created, changed and deleted through their owner's writes.
//
// Rules every caller of the update methods must respect (the server's,
// not this client's):
//   - Budgets lists are reconciled by reset_duration: a budget whose
//     duration is already there keeps its usage and takes the new max_limit;
//     a new duration is created with usage 0; a duration left out is deleted;
//     an empty list deletes them all; a list left out (nil pointer) leaves
//     them as they are. Durations must be unique within one list.
//   - A rate limit is removed by sending {} (an empty RateLimitRequest).
//     On a virtual key (and its provider configs) a rate limit update is
//     per field: a field left out keeps its old value, so one half (token or
//     request) cannot be dropped by an update: remove the rate limit, then
//     create it again (its usage restarts). On teams and customers it is a
//     full replacement: a half left out is dropped.
//   - Ids are server-chosen (UUIDs; provider and MCP config ids are
//     integers): no create can be made idempotent by its id, so a create is
//     never repeated after an answer that may hide a stored write (see each
//     Create method).

// Budget is a spending limit in dollars as the server returns it, with its
// usage (volatile: show it in data sources, never compare it in resources).
type Budget struct {
	ID            string  `json:"id"`
	MaxLimit      float64 `json:"max_limit"`
	ResetDuration string  `json:"reset_duration"`
	LastReset     string  `json:"last_reset,omitempty"`
	CurrentUsage  float64 `json:"current_usage"`
	// The owner the row names: v1.5.1 writes team_id, virtual_key_id or
	// provider_config_id (a customer points at its budget by budget_id);
	// v2 writes team_id, customer_id or model_config_id.
	TeamID           string `json:"team_id,omitempty"`
	VirtualKeyID     string `json:"virtual_key_id,omitempty"`
	ProviderConfigID uint   `json:"provider_config_id,omitempty"`
	CustomerID       string `json:"customer_id,omitempty"`
	ModelConfigID    string `json:"model_config_id,omitempty"`
	// CalendarAligned is the budget's own flag (v1.5.1; honoured on team
	// budgets only). v2 keeps the flag on the owner.
	CalendarAligned bool   `json:"calendar_aligned,omitempty"`
	ConfigHash      string `json:"config_hash,omitempty"`
	CreatedAt       string `json:"created_at,omitempty"`
	UpdatedAt       string `json:"updated_at,omitempty"`
}

// RateLimit is a token and/or request limit as the server returns it. A
// half whose max limit is nil is not set. Usage figures are volatile.
type RateLimit struct {
	ID                   string  `json:"id"`
	TokenMaxLimit        *int64  `json:"token_max_limit,omitempty"`
	TokenResetDuration   *string `json:"token_reset_duration,omitempty"`
	TokenCurrentUsage    int64   `json:"token_current_usage"`
	TokenLastReset       string  `json:"token_last_reset,omitempty"`
	RequestMaxLimit      *int64  `json:"request_max_limit,omitempty"`
	RequestResetDuration *string `json:"request_reset_duration,omitempty"`
	RequestCurrentUsage  int64   `json:"request_current_usage"`
	RequestLastReset     string  `json:"request_last_reset,omitempty"`
	CalendarAligned      bool    `json:"calendar_aligned,omitempty"`
	ConfigHash           string  `json:"config_hash,omitempty"`
	CreatedAt            string  `json:"created_at,omitempty"`
	UpdatedAt            string  `json:"updated_at,omitempty"`
}

// Request is the rate limit as a request that sets it to what it is.
func (r *RateLimit) Request() *RateLimitRequest {
	if r == nil {
		return nil
	}
	return &RateLimitRequest{
		TokenMaxLimit: r.TokenMaxLimit, TokenResetDuration: r.TokenResetDuration,
		RequestMaxLimit: r.RequestMaxLimit, RequestResetDuration: r.RequestResetDuration,
	}
}

// BudgetRequest is one budget of a create or of a list-valued update
// (budgets): matched to the stored budgets by ResetDuration.
type BudgetRequest struct {
	// ID (v2 only) names the stored budget to change, so that a budget
	// whose reset_duration changes keeps its usage. v1.5.1 ignores it.
	ID            string  `json:"id,omitempty"`
	MaxLimit      float64 `json:"max_limit"`
	ResetDuration string  `json:"reset_duration"`
	// CalendarAligned is the budget's own flag: honoured by v1.5.1 on team
	// budgets only (a false→true switch zeroes usage and snaps last_reset);
	// everywhere else the owner's calendar_aligned governs.
	CalendarAligned *bool `json:"calendar_aligned,omitempty"`
}

// BudgetPatch is the single budget of a v1.5.1 customer update: {} (both
// nil) removes it, a field left out keeps its value, and a customer without
// a budget needs both fields.
type BudgetPatch struct {
	MaxLimit      *float64 `json:"max_limit,omitempty"`
	ResetDuration *string  `json:"reset_duration,omitempty"`
}

// RateLimitRequest is a rate limit in a request. Each half is given with
// its reset duration (the server rejects a max limit without one). The
// zero value, sent as {}, removes the owner's rate limit in an update.
type RateLimitRequest struct {
	TokenMaxLimit        *int64  `json:"token_max_limit,omitempty"`
	TokenResetDuration   *string `json:"token_reset_duration,omitempty"`
	RequestMaxLimit      *int64  `json:"request_max_limit,omitempty"`
	RequestResetDuration *string `json:"request_reset_duration,omitempty"`
}

// RemoveRateLimit is the update value that removes an owner's rate limit.
func RemoveRateLimit() *RateLimitRequest { return &RateLimitRequest{} }

// DropsAHalf reports whether sending want as a virtual key (or provider
// config) rate limit update over cur would be meant to drop a half that
// cur has: the server keeps fields left out, so such a change needs the
// rate limit removed ({}) and created again.
func DropsAHalf(cur *RateLimit, want *RateLimitRequest) bool {
	if cur == nil || want == nil || *want == (RateLimitRequest{}) {
		return false
	}
	return (cur.TokenMaxLimit != nil && want.TokenMaxLimit == nil) ||
		(cur.RequestMaxLimit != nil && want.RequestMaxLimit == nil)
}

// BudgetRequests turns stored budgets into the list that sets them to what
// they are (the v1.5.1 way to keep them in a list-valued update).
func BudgetRequests(budgets []Budget) []BudgetRequest {
	out := make([]BudgetRequest, 0, len(budgets))
	for _, b := range budgets {
		out = append(out, BudgetRequest{MaxLimit: b.MaxLimit, ResetDuration: b.ResetDuration})
	}
	return out
}

type budgetList struct {
	Budgets []Budget `json:"budgets"`
	Count   int      `json:"count"`
}

type rateLimitList struct {
	RateLimits []RateLimit `json:"rate_limits"`
	Count      int         `json:"count"`
}

// ListBudgets returns every budget of every owner (read-only: budgets are
// written through their owners).
func (c *Client) ListBudgets(ctx context.Context) ([]Budget, error) {
	var out budgetList
	err := c.do(ctx, http.MethodGet, governancePath+"/budgets", nil, &out)
	return out.Budgets, err
}

// ListRateLimits returns every rate limit of every owner (read-only).
func (c *Client) ListRateLimits(ctx context.Context) ([]RateLimit, error) {
	var out rateLimitList
	err := c.do(ctx, http.MethodGet, governancePath+"/rate-limits", nil, &out)
	return out.RateLimits, err
}

const governancePath = "/api/governance"

func governanceItemPath(collection, id string) string {
	return governancePath + "/" + collection + "/" + url.PathEscape(id)
}

// Governance handlers that hide the store's error behind a fixed 500
// message (governance.md §2.2, §2.3 and the emulator's lock answers): the
// cause may be a locked config store, or a failure that would repeat (a
// duplicate team name, an unknown customer, a budget of 0). They are
// retried a bounded number of times (Config.MaxRetries), and only where
// sending the write again cannot store it twice:
//   - updates (PUT sets the same state again) and deletes (a delete that was
//     applied answers 404 the second time, which callers treat as done);
//   - team creates: a team name is unique, so a repeated create cannot
//     make a second team.
//
// Customer creates are never repeated: customer names are not unique, and
// a create whose answer hid its cause could be stored twice.
const (
	msgTeamCreateFailed     = "failed to create team"
	msgTeamUpdateFailed     = "Failed to update team"
	msgTeamDeleteFailed     = "Failed to delete team"
	msgCustomerCreateFailed = "failed to create customer"
	msgCustomerUpdateFailed = "Failed to update customer"
	msgCustomerDeleteFailed = "Failed to delete customer"
	msgVKDeleteFailed       = "Failed to delete virtual key"
	msgVKNotFound           = "Virtual key not found"
)

// IsHiddenCause reports whether err is one of the governance answers whose
// fixed message hides the server's cause (e.g. v1.5.1's 500 "failed to
// create team" for a duplicate name, an unknown customer_id, a max_limit of
// 0 or a locked store): the caller may have to look (list by name) to tell.
func IsHiddenCause(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != http.StatusInternalServerError {
		return false
	}
	switch e.Message {
	case msgTeamCreateFailed, msgTeamUpdateFailed, msgTeamDeleteFailed,
		msgCustomerCreateFailed, msgCustomerUpdateFailed, msgCustomerDeleteFailed, msgVKDeleteFailed:
		return true
	}
	return false
}

// IsNameTaken reports whether err says that a governance name is taken: v2's
// 409 "A <entity> with this name already exists", v1.5.1's 500 "a record
// with this name already exists" on virtual key create and its 400 "a
// record with this value already exists" on a virtual key rename. v1.5.1
// teams answer a hidden 500 instead (IsHiddenCause), customers accept
// duplicates.
func IsNameTaken(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	return (e.StatusCode == http.StatusConflict && strings.Contains(e.Message, "with this name already exists")) ||
		strings.Contains(e.Message, "a record with this name already exists") ||
		strings.Contains(e.Message, "a record with this value already exists")
}

// routeMissing turns a 404 that is not the entity's own (entityMessage)
// into an error that is not a not-found of the entity: the server has no
// such endpoint (e.g. rotation on v1.5.1; the real server answers "Route
// not found: <path>", the emulator a plain-text "Not Found").
func routeMissing(err error, what, entityMessage string) error {
	var e *APIError
	if errors.As(err, &e) && e.StatusCode == http.StatusNotFound && e.Message != entityMessage {
		return fmt.Errorf("%s needs a Bifrost server that has the endpoint (v2 or newer): %s", what, e.Error())
	}
	return err
}

// envelopeMissing is the error of a 2xx answer that lacks its entity (an
// SPA page answered for an unrouted GET decodes as an error earlier).
func envelopeMissing(method, path, member string) error {
	return fmt.Errorf("%s %s: the response has no %q object", method, path, member)
}

// marshalAlwaysList replaces a nil slice by an empty one, so that it is
// sent as [] (a whitelist left out means "none" to the server anyway, but
// an explicit [] says so on the wire).
func marshalAlwaysList(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
