package bifrost

import (
	"context"
	"encoding/json"
	"net/http"
)

// VirtualKey is a virtual key as the server returns it (v1.5.1
// TableVirtualKey; v2 adds expires_at). The embedded team and customer
// objects are not decoded: use TeamID and CustomerID.
//
// Value is the live credential (sk-bf-<uuid>), in clear on every read of
// v1.5.1 and of v2. It is masked in every log line (the "value" member is
// masked wherever it appears, see logging.go), and must never be put in an
// error or a diagnostic.
type VirtualKey struct {
	ID              string                     `json:"id"`
	Name            string                     `json:"name"`
	Description     string                     `json:"description,omitempty"`
	Value           string                     `json:"-"`
	IsActive        bool                       `json:"is_active"`
	ProviderConfigs []VirtualKeyProviderConfig `json:"provider_configs"`
	MCPConfigs      []VirtualKeyMCPConfig      `json:"mcp_configs"`
	TeamID          string                     `json:"team_id,omitempty"`
	CustomerID      string                     `json:"customer_id,omitempty"`
	RateLimitID     string                     `json:"rate_limit_id,omitempty"`
	CalendarAligned bool                       `json:"calendar_aligned"`
	RateLimit       *RateLimit                 `json:"rate_limit,omitempty"`
	// Budgets is absent (nil) when the key has none.
	Budgets []Budget `json:"budgets,omitempty"`
	// ExpiresAt (v2) is an RFC 3339 time, "" when the key never expires.
	ExpiresAt  string `json:"expires_at,omitempty"`
	ConfigHash string `json:"config_hash,omitempty"`
	CreatedAt  string `json:"created_at,omitempty"`
	UpdatedAt  string `json:"updated_at,omitempty"`
}

type virtualKeyJSON VirtualKey

// UnmarshalJSON reads value as v1.5.1's plain string or as v2's SecretVar
// (a string, or {"value","ref","type"} depending on the version).
func (v *VirtualKey) UnmarshalJSON(b []byte) error {
	var w struct {
		virtualKeyJSON
		Value *SecretVar `json:"value"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*v = VirtualKey(w.virtualKeyJSON)
	if w.Value != nil {
		v.Value = w.Value.Value
		if v.Value == "" {
			v.Value = w.Value.Ref
		}
	}
	return nil
}

// VirtualKeyProviderConfig is one provider config of a virtual key. The
// server never returns key_ids: KeyIDs derives them.
type VirtualKeyProviderConfig struct {
	ID           uint       `json:"id"`
	VirtualKeyID string     `json:"virtual_key_id,omitempty"`
	Provider     string     `json:"provider"`
	Weight       *float64   `json:"weight"`
	AllowAllKeys bool       `json:"allow_all_keys"`
	RateLimitID  string     `json:"rate_limit_id,omitempty"`
	RateLimit    *RateLimit `json:"rate_limit,omitempty"`
	// Budgets is absent (nil) when the config has none.
	Budgets []Budget `json:"budgets,omitempty"`
	// Keys are the provider keys the config allows (trimmed rows, no
	// secrets); empty when AllowAllKeys.
	Keys          []VirtualKeyProviderKey `json:"keys"`
	AllowedModels []string                `json:"allowed_models"`
	// BlacklistedModels (v2) are models denied even when allowed.
	BlacklistedModels []string `json:"blacklisted_models,omitempty"`
	// Extra holds the members this client does not model (a newer
	// server's), sent back by AsUpdate: the server replaces a provider
	// config whole.
	Extra map[string]json.RawMessage `json:"-"`
}

// VirtualKeyProviderKey is a provider key a provider config allows.
type VirtualKeyProviderKey struct {
	KeyID    string `json:"key_id"`
	Name     string `json:"name,omitempty"`
	Provider string `json:"provider,omitempty"`
}

type vkProviderConfigJSON VirtualKeyProviderConfig

var knownVKProviderConfigFields = jsonNames[vkProviderConfigJSON]()

// UnmarshalJSON keeps the unmodelled members in Extra.
func (pc *VirtualKeyProviderConfig) UnmarshalJSON(b []byte) error {
	var w vkProviderConfigJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*pc = VirtualKeyProviderConfig(w)
	var err error
	pc.Extra, err = unknownMembers(b, knownVKProviderConfigFields)
	return err
}

// KeyIDs derives the key_ids a request would carry to keep the config's
// keys: ["*"] when it allows all keys, otherwise the key ids of Keys (empty
// when none: the server then denies every key).
func (pc VirtualKeyProviderConfig) KeyIDs() []string {
	if pc.AllowAllKeys {
		return []string{"*"}
	}
	out := make([]string, 0, len(pc.Keys))
	for _, k := range pc.Keys {
		out = append(out, k.KeyID)
	}
	return out
}

// AsUpdate is the update entry that keeps the config as it is: its id (so
// the server updates it in place and keeps its budgets' usage), its key_ids
// (a PUT entry without key_ids denies every key), its budgets and rate
// limit, and its unmodelled members. Callers change the fields they manage.
func (pc VirtualKeyProviderConfig) AsUpdate() ProviderConfigRequest {
	id := pc.ID
	return ProviderConfigRequest{
		ID: &id, Provider: pc.Provider, Weight: pc.Weight,
		AllowedModels: append([]string{}, pc.AllowedModels...), BlacklistedModels: pc.BlacklistedModels,
		KeyIDs: pc.KeyIDs(), Budgets: BudgetRequests(pc.Budgets), RateLimit: pc.RateLimit.Request(),
		Extra: pc.Extra,
	}
}

// VirtualKeyMCPConfig is one MCP config of a virtual key. The server embeds
// the whole MCP client row, decrypted (connection string, headers): only
// its name is kept.
type VirtualKeyMCPConfig struct {
	ID             uint     `json:"id"`
	VirtualKeyID   string   `json:"virtual_key_id,omitempty"`
	MCPClientID    uint     `json:"mcp_client_id"`
	MCPClientName  string   `json:"-"`
	ToolsToExecute []string `json:"tools_to_execute"`
}

type vkMCPConfigJSON VirtualKeyMCPConfig

// UnmarshalJSON reads the MCP client's name and drops the rest of it.
func (m *VirtualKeyMCPConfig) UnmarshalJSON(b []byte) error {
	var w struct {
		vkMCPConfigJSON
		MCPClient *struct {
			Name string `json:"name"`
		} `json:"mcp_client"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*m = VirtualKeyMCPConfig(w.vkMCPConfigJSON)
	if w.MCPClient != nil {
		m.MCPClientName = w.MCPClient.Name
	}
	return nil
}

// AsUpdate is the update entry that keeps m as it is: its id, its client's
// name and its tools (always sent as a list).
func (m VirtualKeyMCPConfig) AsUpdate() MCPConfigRequest {
	id := m.ID
	return MCPConfigRequest{ID: &id, MCPClientName: m.MCPClientName, ToolsToExecute: append([]string{}, m.ToolsToExecute...)}
}

// ProviderConfigRequest is one provider config of a virtual key create or
// update.
//
// In an update, an entry with ID is changed in place (provider, weight,
// allowed_models and keys replaced; budgets and rate limit reconciled as
// their owner's: see governance.go) and keeps its budgets' usage; an entry
// without ID is created; every stored config no entry names by ID is
// deleted with its budgets and rate limit. Send back the ids read.
type ProviderConfigRequest struct {
	// ID is the stored config's id (updates only).
	ID       *uint  `json:"id,omitempty"`
	Provider string `json:"provider"`
	// Weight nil: excluded from weighted routing.
	Weight *float64 `json:"weight,omitempty"`
	// AllowedModels: ["*"] for all; empty for none (always sent).
	AllowedModels []string `json:"allowed_models"`
	// BlacklistedModels (v2 only; v1.5.1 ignores it).
	BlacklistedModels []string `json:"blacklisted_models,omitempty"`
	// KeyIDs are provider key ids, or ["*"] for all; empty for none. Always
	// sent: an update entry without key_ids denies every key.
	KeyIDs []string `json:"key_ids"`
	// Budgets are always sent: in an update, [] deletes the config's
	// budgets (and creates none on a new entry).
	Budgets []BudgetRequest `json:"budgets"`
	// RateLimit nil leaves the config's rate limit as it is (none on a new
	// entry); RemoveRateLimit() removes it. Per-field partial.
	RateLimit *RateLimitRequest `json:"rate_limit,omitempty"`
	// Extra are members to send as they are (those a read returned that
	// this client does not model).
	Extra map[string]json.RawMessage `json:"-"`
}

type providerConfigRequestJSON ProviderConfigRequest

var knownProviderConfigRequestFields = jsonNames[providerConfigRequestJSON]()

// MarshalJSON always sends the whitelists and budgets as lists, and adds
// Extra.
func (p ProviderConfigRequest) MarshalJSON() ([]byte, error) {
	w := providerConfigRequestJSON(p)
	w.AllowedModels = marshalAlwaysList(w.AllowedModels)
	w.KeyIDs = marshalAlwaysList(w.KeyIDs)
	if w.Budgets == nil {
		w.Budgets = []BudgetRequest{}
	}
	// Extra holds response members; those the request also names (and
	// response-only ones known to this client) are not sent from it.
	extra := map[string]json.RawMessage{}
	for name, raw := range p.Extra {
		if !knownVKProviderConfigFields[name] {
			extra[name] = raw
		}
	}
	return marshalWithExtra(w, extra, knownProviderConfigRequestFields)
}

// MCPConfigRequest is one MCP config of a virtual key create or update. In
// an update, an entry with ID changes only its tools; an entry without ID
// for a client already assigned fails (creates run before deletes): send
// back the ids read.
type MCPConfigRequest struct {
	ID             *uint    `json:"id,omitempty"`
	MCPClientName  string   `json:"mcp_client_name"`
	ToolsToExecute []string `json:"tools_to_execute"`
}

// MarshalJSON always sends tools_to_execute as a list.
func (m MCPConfigRequest) MarshalJSON() ([]byte, error) {
	type plain MCPConfigRequest
	w := plain(m)
	w.ToolsToExecute = marshalAlwaysList(w.ToolsToExecute)
	return json.Marshal(w)
}

// VirtualKeyCreate is the body of a virtual key create (v1.5.1
// CreateVirtualKeyRequest). Budgets go in the budgets list: a singular
// "budget" is silently ignored by the server.
type VirtualKeyCreate struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// TeamID or CustomerID: at most one.
	TeamID     string `json:"team_id,omitempty"`
	CustomerID string `json:"customer_id,omitempty"`
	// IsActive nil: the server's default, true.
	IsActive *bool `json:"is_active,omitempty"`
	// CalendarAligned snaps the resets of all the key's d/w/M/Y budgets to
	// UTC calendar boundaries.
	CalendarAligned bool                    `json:"calendar_aligned,omitempty"`
	Budgets         []BudgetRequest         `json:"budgets,omitempty"`
	RateLimit       *RateLimitRequest       `json:"rate_limit,omitempty"`
	ProviderConfigs []ProviderConfigRequest `json:"provider_configs,omitempty"`
	MCPConfigs      []MCPConfigRequest      `json:"mcp_configs,omitempty"`
	// ExpiresAt (v2 only): an RFC 3339 time in the future.
	ExpiresAt string `json:"expires_at,omitempty"`
}

// VirtualKeyUpdate is the body of a virtual key update. A nil pointer
// leaves the field as it is, except for ownership:
//
//   - TeamID and CustomerID are always sent, the one not owning as null. On
//     v1.5.1 both left out (or null) clears the ownership, one set sets it
//     and clears the other, both set is a 400; v2 reads null as "clear"
//     and a missing member as "unchanged". Sending the owner's id and null
//     for the other (or null for both to clear) means the same on both.
//   - ProviderConfigs and MCPConfigs: entries are matched by ID (see
//     ProviderConfigRequest); a nil pointer leaves them all as they are, an
//     empty list deletes them all.
//   - Budgets: reconciled by reset_duration (governance.go); RateLimit: per
//     field, RemoveRateLimit() removes it.
type VirtualKeyUpdate struct {
	Name            *string                  `json:"name,omitempty"`
	Description     *string                  `json:"description,omitempty"`
	TeamID          *string                  `json:"team_id"`
	CustomerID      *string                  `json:"customer_id"`
	IsActive        *bool                    `json:"is_active,omitempty"`
	CalendarAligned *bool                    `json:"calendar_aligned,omitempty"`
	Budgets         *[]BudgetRequest         `json:"budgets,omitempty"`
	RateLimit       *RateLimitRequest        `json:"rate_limit,omitempty"`
	ProviderConfigs *[]ProviderConfigRequest `json:"provider_configs,omitempty"`
	MCPConfigs      *[]MCPConfigRequest      `json:"mcp_configs,omitempty"`
	// ExpiresAt (v2 only): "" clears, nil keeps.
	ExpiresAt *string `json:"expires_at,omitempty"`
	// ResetBudgetUsage (v2 only) zeroes the usage of the key's budgets.
	ResetBudgetUsage bool `json:"reset_budget_usage,omitempty"`
}

// Owner sets the update's ownership: the team's id, or the customer's, or
// neither (both "" clears it); the other is sent as null.
func (u *VirtualKeyUpdate) Owner(teamID, customerID string) {
	u.TeamID, u.CustomerID = nil, nil
	if teamID != "" {
		u.TeamID = &teamID
	}
	if customerID != "" {
		u.CustomerID = &customerID
	}
}

type virtualKeyEnvelope struct {
	Message    string      `json:"message"`
	VirtualKey *VirtualKey `json:"virtual_key"`
}

type virtualKeyList struct {
	VirtualKeys []VirtualKey `json:"virtual_keys"`
	Count       int          `json:"count"`
	TotalCount  int          `json:"total_count"`
}

const virtualKeysCollection = "virtual-keys"

var virtualKeysPath = governancePath + "/" + virtualKeysCollection

// ListVirtualKeys returns every virtual key, in creation order (one
// unpaginated list).
func (c *Client) ListVirtualKeys(ctx context.Context) ([]VirtualKey, error) {
	var out virtualKeyList
	err := c.do(ctx, http.MethodGet, virtualKeysPath, nil, &out)
	return out.VirtualKeys, err
}

// GetVirtualKey returns one virtual key; a missing one is a not-found
// error (IsNotFound).
func (c *Client) GetVirtualKey(ctx context.Context, id string) (*VirtualKey, error) {
	return c.virtualKeyCall(ctx, http.MethodGet, governanceItemPath(virtualKeysCollection, id), nil)
}

// CreateVirtualKey creates a virtual key; the answer carries its value.
// Lock answers (500 "… database is locked") are retried: nothing was
// stored. No other failure is: the id is the server's, so a repeated create
// could make a second key; after an ambiguous failure, look for the name
// (unique) before trying again.
func (c *Client) CreateVirtualKey(ctx context.Context, in VirtualKeyCreate) (*VirtualKey, error) {
	defer c.vkLists.forget(virtualKeysScope)
	return c.virtualKeyCall(ctx, http.MethodPost, virtualKeysPath, in)
}

// UpdateVirtualKey applies in to the virtual key id (see VirtualKeyUpdate
// for what the server does with each field) and returns the key as stored.
func (c *Client) UpdateVirtualKey(ctx context.Context, id string, in VirtualKeyUpdate) (*VirtualKey, error) {
	defer c.vkLists.forget(virtualKeysScope)
	return c.virtualKeyCall(ctx, http.MethodPut, governanceItemPath(virtualKeysCollection, id), in)
}

// DeleteVirtualKey deletes a virtual key with its provider and MCP
// configs, budgets and rate limits. A missing key is a not-found error.
func (c *Client) DeleteVirtualKey(ctx context.Context, id string) error {
	defer c.vkLists.forget(virtualKeysScope)
	ctx = withHiddenCause(ctx, msgVKDeleteFailed)
	return c.do(ctx, http.MethodDelete, governanceItemPath(virtualKeysCollection, id), nil, nil)
}

// RotateVirtualKey (v2 only) gives the virtual key a new value and returns
// the key with it. With client_config.vk_rotation_cooldown the previous
// value keeps working for that long. On a server without the endpoint
// (v1.5.1) the error says so; it is not a not-found error.
func (c *Client) RotateVirtualKey(ctx context.Context, id string) (*VirtualKey, error) {
	defer c.vkLists.forget(virtualKeysScope)
	vk, err := c.virtualKeyCall(ctx, http.MethodPost, governanceItemPath(virtualKeysCollection, id)+"/rotate", nil)
	return vk, routeMissing(err, "rotating a virtual key", msgVKNotFound)
}

func (c *Client) virtualKeyCall(ctx context.Context, method, path string, in any) (*VirtualKey, error) {
	var out virtualKeyEnvelope
	if err := c.do(ctx, method, path, in, &out); err != nil {
		return nil, err
	}
	if out.VirtualKey == nil {
		return nil, envelopeMissing(method, path, "virtual_key")
	}
	return out.VirtualKey, nil
}
