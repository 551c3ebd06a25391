package bifrost

import (
	"context"
	"net/http"
)

// Model configs: model-level budgets and rate limits
// (/api/governance/model-configs, shared/bifrost-api/governance.md §2.5).
//
// A model config is unique by (model_name, provider) (v2: also by scope
// and scope_id): a duplicate create is a 409 "Model config for model '…'
// with provider '…' already exists" (v1.5.1 and v2). provider omitted means
// all providers; "" is a 500 "provider cannot be an empty string".
//
// Update rules (the server's):
//   - ModelName and Provider change in place; Provider cannot be set back to
//     "all providers" (a nil pointer leaves it as it is).
//   - v1.5.1 holds one Budget: &BudgetPatch{} removes it, an existing budget
//     is patched per field, a config without one needs both fields.
//   - v2 holds Budgets, reconciled by reset_duration (governance.go); its
//     create ignores a singular budget (governance-exchanges-v2.jsonl).
//   - RateLimit is replaced as a whole; RemoveRateLimit() removes it.
//   - Every failure of an update is a 500 "Failed to update model config:
//     <cause>", validation included: validate before sending.
//
// On v2 the list also holds the provider-level limits (model "*", scope
// global) and read-only views of virtual key limits (scope virtual_key).

// ModelConfig is a model config as the server returns it: v1.5.1 has one
// budget (Budget, BudgetID), v2 a list (Budgets) and a scope.
type ModelConfig struct {
	ID        string  `json:"id"`
	ModelName string  `json:"model_name"`
	Provider  *string `json:"provider,omitempty"`
	// Scope (v2) is "global", "virtual_key" or (enterprise) "user".
	Scope           string     `json:"scope,omitempty"`
	ScopeID         string     `json:"scope_id,omitempty"`
	CalendarAligned bool       `json:"calendar_aligned,omitempty"`
	BudgetID        string     `json:"budget_id,omitempty"`
	RateLimitID     string     `json:"rate_limit_id,omitempty"`
	Budget          *Budget    `json:"budget,omitempty"`
	Budgets         []Budget   `json:"budgets,omitempty"`
	RateLimit       *RateLimit `json:"rate_limit,omitempty"`
	ConfigHash      string     `json:"config_hash,omitempty"`
	CreatedAt       string     `json:"created_at,omitempty"`
	UpdatedAt       string     `json:"updated_at,omitempty"`
}

// ModelConfigAllModels is the model name of v2's rows that are not model
// configs of one model: provider governance and virtual key limits.
const ModelConfigAllModels = "*"

// AllBudgets is the config's budgets whatever the version.
func (m ModelConfig) AllBudgets() []Budget {
	if len(m.Budgets) > 0 {
		return m.Budgets
	}
	if m.Budget != nil {
		return []Budget{*m.Budget}
	}
	return nil
}

// IsGlobal reports whether the config is of the global scope (always on
// v1.5.1, which has no scopes).
func (m ModelConfig) IsGlobal() bool { return m.Scope == "" || m.Scope == "global" }

// ProviderName is the config's provider, "" for all providers.
func (m ModelConfig) ProviderName() string {
	if m.Provider == nil {
		return ""
	}
	return *m.Provider
}

// ModelConfigCreate is the body of a model config create: Budget on
// v1.5.1, Budgets on v2 (which ignores Budget).
type ModelConfigCreate struct {
	ModelName       string            `json:"model_name"`
	Provider        *string           `json:"provider,omitempty"`
	Budget          *BudgetRequest    `json:"budget,omitempty"`
	Budgets         []BudgetRequest   `json:"budgets,omitempty"`
	RateLimit       *RateLimitRequest `json:"rate_limit,omitempty"`
	CalendarAligned *bool             `json:"calendar_aligned,omitempty"`
}

// ModelConfigUpdate is the body of a model config update: a nil pointer
// leaves the field as it is (see the rules above).
type ModelConfigUpdate struct {
	ModelName       *string           `json:"model_name,omitempty"`
	Provider        *string           `json:"provider,omitempty"`
	Budget          *BudgetPatch      `json:"budget,omitempty"`
	Budgets         *[]BudgetRequest  `json:"budgets,omitempty"`
	RateLimit       *RateLimitRequest `json:"rate_limit,omitempty"`
	CalendarAligned *bool             `json:"calendar_aligned,omitempty"`
}

type modelConfigEnvelope struct {
	Message     string       `json:"message"`
	ModelConfig *ModelConfig `json:"model_config"`
}

type modelConfigList struct {
	ModelConfigs []ModelConfig `json:"model_configs"`
	Count        int           `json:"count"`
	TotalCount   int           `json:"total_count"`
}

const modelConfigsCollection = "model-configs"

var modelConfigsPath = governancePath + "/" + modelConfigsCollection

// MsgModelConfigNotFound is the message of the 404 of an unknown model
// config id.
const MsgModelConfigNotFound = "Model config not found"

// ListModelConfigs returns every model config, in creation order (on v2
// with the rows of provider governance and virtual key limits).
func (c *Client) ListModelConfigs(ctx context.Context) ([]ModelConfig, error) {
	var out modelConfigList
	err := c.do(ctx, http.MethodGet, modelConfigsPath, nil, &out)
	return out.ModelConfigs, err
}

// GetModelConfig returns one model config; a missing one is a not-found
// error.
func (c *Client) GetModelConfig(ctx context.Context, id string) (*ModelConfig, error) {
	return c.modelConfigCall(ctx, http.MethodGet, governanceItemPath(modelConfigsCollection, id), nil)
}

// CreateModelConfig creates a model config. It is not repeated after an
// answer that may hide a stored write (only lock answers, which stored
// nothing, are retried): look for the natural key (model, provider) before
// concluding. A 409 (IsConflict) means the natural key is taken.
func (c *Client) CreateModelConfig(ctx context.Context, in ModelConfigCreate) (*ModelConfig, error) {
	return c.modelConfigCall(ctx, http.MethodPost, modelConfigsPath, in)
}

// UpdateModelConfig applies in to the model config id (see
// ModelConfigUpdate) and returns it as stored.
func (c *Client) UpdateModelConfig(ctx context.Context, id string, in ModelConfigUpdate) (*ModelConfig, error) {
	return c.modelConfigCall(ctx, http.MethodPut, governanceItemPath(modelConfigsCollection, id), in)
}

// DeleteModelConfig deletes a model config with its budgets and rate limit.
// A missing one is a not-found error.
func (c *Client) DeleteModelConfig(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, governanceItemPath(modelConfigsCollection, id), nil, nil)
}

func (c *Client) modelConfigCall(ctx context.Context, method, path string, in any) (*ModelConfig, error) {
	var out modelConfigEnvelope
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return nil, err
	}
	if out.ModelConfig == nil {
		return nil, envelopeMissing(method, path, "model_config")
	}
	return out.ModelConfig, nil
}
