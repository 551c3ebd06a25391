package bifrost

import (
	"context"
	"net/http"
	"net/url"
)

// Provider governance: provider-level budgets and rate limits
// (/api/governance/providers, shared/bifrost-api/governance.md §2.6).
//
// There is no create: PUT /{provider} sets a configured provider's limits
// (404 "Provider not found" for a provider Bifrost does not have), with the
// model config update rules (modelconfigs.go): v1.5.1 patches one Budget
// ({} removes it), v2 reconciles Budgets; the RateLimit is replaced, {}
// removes it. DELETE /{provider} clears both: 200 also when nothing was
// set; v1.5.1 answers 404 "Provider not found" for a provider it does not
// have, v2 200. The list holds only the providers that have a budget or a
// rate limit ("providers": null when none).

// ProviderGovernance is the limits of one provider as the server returns
// them: v1.5.1 has Budget; v2 has Budgets (and Budget, its first).
type ProviderGovernance struct {
	Provider        string     `json:"provider"`
	Budget          *Budget    `json:"budget,omitempty"`
	Budgets         []Budget   `json:"budgets,omitempty"`
	RateLimit       *RateLimit `json:"rate_limit,omitempty"`
	CalendarAligned bool       `json:"calendar_aligned,omitempty"`
}

// AllBudgets is the provider's budgets whatever the version.
func (p ProviderGovernance) AllBudgets() []Budget {
	if len(p.Budgets) > 0 {
		return p.Budgets
	}
	if p.Budget != nil {
		return []Budget{*p.Budget}
	}
	return nil
}

// ProviderGovernanceUpdate is the body of the PUT: a nil pointer leaves the
// field as it is. Budget (v1.5.1): &BudgetPatch{} removes it. Budgets (v2):
// the whole list, [] removes them all. Never both.
type ProviderGovernanceUpdate struct {
	Budget          *BudgetPatch      `json:"budget,omitempty"`
	Budgets         *[]BudgetRequest  `json:"budgets,omitempty"`
	RateLimit       *RateLimitRequest `json:"rate_limit,omitempty"`
	CalendarAligned *bool             `json:"calendar_aligned,omitempty"`
}

type providerGovernanceEnvelope struct {
	Message  string              `json:"message"`
	Provider *ProviderGovernance `json:"provider"`
}

type providerGovernanceList struct {
	Providers []ProviderGovernance `json:"providers"`
	Count     int                  `json:"count"`
}

const providerGovernancePath = governancePath + "/providers"

func providerGovernanceItemPath(provider string) string {
	return providerGovernancePath + "/" + url.PathEscape(provider)
}

// ListProviderGovernance returns the limits of every provider that has a
// budget or a rate limit (empty when none).
func (c *Client) ListProviderGovernance(ctx context.Context) ([]ProviderGovernance, error) {
	var out providerGovernanceList
	err := c.do(ctx, http.MethodGet, providerGovernancePath, nil, &out)
	return out.Providers, err
}

// GetProviderGovernance returns the limits of one provider, read from the
// list (there is no GET by name): nil, without an error, when the provider
// has none (or is not configured).
func (c *Client) GetProviderGovernance(ctx context.Context, provider string) (*ProviderGovernance, error) {
	all, err := c.ListProviderGovernance(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Provider == provider {
			return &all[i], nil
		}
	}
	return nil, nil
}

// PutProviderGovernance sets a provider's limits (see
// ProviderGovernanceUpdate) and returns them as stored. An unknown provider
// is a not-found error (IsProviderNotFound).
func (c *Client) PutProviderGovernance(ctx context.Context, provider string, in ProviderGovernanceUpdate) (*ProviderGovernance, error) {
	path := providerGovernanceItemPath(provider)
	var out providerGovernanceEnvelope
	if err := c.do(ctx, http.MethodPut, path, in, &out); err != nil {
		return nil, err
	}
	if out.Provider == nil {
		return nil, envelopeMissing(http.MethodPut, path, "provider")
	}
	return out.Provider, nil
}

// DeleteProviderGovernance clears a provider's budgets and rate limit. A
// provider without limits is fine (200); a provider Bifrost does not have
// is a not-found error on v1.5.1 (nothing to clear either).
func (c *Client) DeleteProviderGovernance(ctx context.Context, provider string) error {
	return c.do(ctx, http.MethodDelete, providerGovernanceItemPath(provider), nil, nil)
}
