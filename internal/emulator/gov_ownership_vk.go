package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// virtualKey is a governance virtual key.
type virtualKey struct {
	id, name, description, value string
	active                       bool
	teamID, customerID           string
	calendar                     bool
	expiresAt                    *time.Time // v2
	mcID                         string     // v2: the VK-scoped model config holding its limits
	limits
	pcs              []*providerConfig // by id
	mcps             []*mcpConfig      // by id
	created, updated time.Time
}

// providerConfig is a virtual key's provider config.
type providerConfig struct {
	id            uint
	provider      string
	weight        *float64
	allowedModels []string
	blacklist     []string // v2 blacklisted_models
	allowAllKeys  bool
	keyIDs        []string
	mcID          string // v2
	limits
	created time.Time
}

// mcpConfig is a virtual key's MCP client assignment, by client name.
type mcpConfig struct {
	id     uint
	client string
	tools  []string
}

// clone deep-copies vk for a write that may fail.
func (vk *virtualKey) clone() *virtualKey {
	c := *vk
	c.limits = vk.limits.clone() //nolint:staticcheck // virtualKey has a clone of its own
	c.pcs = nil
	for _, pc := range vk.pcs {
		pcc := *pc
		pcc.limits = pc.clone()
		c.pcs = append(c.pcs, &pcc)
	}
	c.mcps = nil
	for _, m := range vk.mcps {
		mc := *m
		c.mcps = append(c.mcps, &mc)
	}
	return &c
}

// vkReq is the body of virtual key creates and updates; v2-only fields are
// in vkV2Req so that v1.5 ignores them as its handler does.
type vkReq struct {
	Name            *string        `json:"name"`
	Description     *string        `json:"description"`
	ProviderConfigs []pcReq        `json:"provider_configs"`
	MCPConfigs      []mcpConfigReq `json:"mcp_configs"`
	TeamID          optString      `json:"team_id"`
	CustomerID      optString      `json:"customer_id"`
	Budgets         []budgetReq    `json:"budgets"`
	RateLimit       *rateLimitReq  `json:"rate_limit"`
	IsActive        *bool          `json:"is_active"`
	CalendarAligned *bool          `json:"calendar_aligned"`
}

type pcReq struct {
	ID            *uint         `json:"id"` // updates only
	Provider      string        `json:"provider"`
	Weight        *float64      `json:"weight"`
	AllowedModels []string      `json:"allowed_models"`
	Budgets       []budgetReq   `json:"budgets"`
	RateLimit     *rateLimitReq `json:"rate_limit"`
	KeyIDs        []string      `json:"key_ids"`
}

type mcpConfigReq struct {
	ID             *uint    `json:"id"` // updates only
	MCPClientName  string   `json:"mcp_client_name"`
	ToolsToExecute []string `json:"tools_to_execute"`
}

type vkV2Req struct {
	ExpiresAt        optString `json:"expires_at"`
	ResetBudgetUsage *bool     `json:"reset_budget_usage"`
	ProviderConfigs  []struct {
		BlacklistedModels []string `json:"blacklisted_models"`
	} `json:"provider_configs"`
}

const (
	msgVKNotFound   = "Virtual key not found"
	msgVKBoth       = "VirtualKey cannot be attached to both Team and Customer"
	msgVKDuplicate2 = "A virtual key with this name already exists"
	msgFKFailed     = "FOREIGN KEY constraint failed"
	msgExpiresPast  = "expires_at must be a future timestamp"
	dupValue        = "a record with this value already exists. Please use a different value"
)

// errVKDuplicate is a v2 name clash, answered 409 by create and update
// with Bifrost's message (capitalised, as the server writes it).
var errVKDuplicate = errors.New(msgVKDuplicate2) //nolint:staticcheck // Bifrost's own message

func (s *Server) findVK(id string) *virtualKey {
	for _, vk := range s.ownership.vks {
		if vk.id == id {
			return vk
		}
	}
	return nil
}

// vkBudgetOwner is the owner written on a virtual key tier's budgets.
func (s *Server) vkBudgetOwner(vk *virtualKey, pc *providerConfig) budgetOwner {
	switch {
	case s.v2 && pc != nil:
		return budgetOwner{modelConfig: pc.mcID}
	case s.v2:
		return budgetOwner{modelConfig: vk.mcID}
	case pc != nil:
		return budgetOwner{pc: pc.id}
	}
	return budgetOwner{vk: vk.id}
}

// checkVKRow is the store's write of a virtual key row: its unique name
// (the message differs between create and update), then the foreign keys
// of its team and customer.
func (s *Server) checkVKRow(vk *virtualKey, update bool) error {
	for _, other := range s.ownership.vks {
		if other.id != vk.id && other.name == vk.name {
			switch {
			case s.v2:
				return errVKDuplicate
			case update:
				return errors.New(dupValue)
			}
			return errors.New(dupName)
		}
	}
	if (vk.teamID != "" && s.findTeam(vk.teamID) == nil) || (vk.customerID != "" && s.findCustomer(vk.customerID) == nil) {
		return errors.New(msgFKFailed)
	}
	return nil
}

// parseExpiry reads a v2 expires_at, which must lie in the future.
func parseExpiry(v string) (*time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		// guess: the update handler's message for an unparseable expires_at.
		return nil, badf("invalid expires_at: must be an RFC3339 timestamp")
	}
	if !t.After(time.Now()) {
		return nil, badf(msgExpiresPast)
	}
	return &t, nil
}

// countKeys counts the keys with those ids the way GetKeysByIDs finds
// them: across every provider, whatever the config's provider.
func (s *Server) countKeys(ids []string) int {
	n := 0
	for _, name := range sortedKeys(s.providers) {
		for _, k := range s.providers[name].keys {
			if slices.Contains(ids, k.id) {
				n++
			}
		}
	}
	return n
}

// applyPC fills pc from an entry of provider_configs: provider, weight,
// model lists and keys are replaced (key_ids left out allows no key).
func (s *Server) applyPC(pc *providerConfig, r pcReq, blacklist []string) error {
	if r.Provider == "" {
		return badf("provider name is required")
	}
	if s.providers[r.Provider] == nil {
		return badf("invalid provider name: %s", r.Provider)
	}
	if err := validateList(r.AllowedModels, "whitelist"); err != nil {
		return badf("invalid allowed_models for provider %s: %v", r.Provider, err)
	}
	if s.v2 {
		// guess: the message of a bad blacklist, patterned on allowed_models.
		if err := validateList(blacklist, "blacklist"); err != nil {
			return badf("invalid blacklisted_models for provider %s: %v", r.Provider, err)
		}
	}
	if err := validateList(r.KeyIDs, "whitelist"); err != nil {
		return badf("invalid key_ids for provider %s: %v", r.Provider, err)
	}
	pc.allowAllKeys = len(r.KeyIDs) == 1 && r.KeyIDs[0] == "*"
	pc.keyIDs = nil
	if !pc.allowAllKeys && len(r.KeyIDs) > 0 {
		if n := s.countKeys(r.KeyIDs); n != len(r.KeyIDs) {
			return fmt.Errorf("some keys not found for provider %s: expected %d, found %d", r.Provider, len(r.KeyIDs), n)
		}
		pc.keyIDs = r.KeyIDs
	}
	pc.provider, pc.weight, pc.allowedModels, pc.blacklist = r.Provider, r.Weight, r.AllowedModels, blacklist
	return nil
}

// pcBudgetChecks are the checks of a provider config's budgets: a new config
// only checks for duplicate durations, an existing one (update) all three.
func pcBudgetChecks(existing bool) budgetChecks {
	c := budgetChecks{duplicate: "duplicate reset_duration in provider config budgets: %s"}
	if existing {
		c.negative = "provider config budget max_limit cannot be negative: %.2f"
		c.duration = "invalid provider config budget reset duration format: %s"
	}
	return c
}

// newPC creates a provider config of vk from a provider_configs entry.
func (s *Server) newPC(vk *virtualKey, r pcReq, blacklist []string) (*providerConfig, error) {
	pc := &providerConfig{created: time.Now().UTC()}
	if err := s.applyPC(pc, r, blacklist); err != nil {
		return nil, err
	}
	if r.RateLimit != nil {
		rl, err := s.ownership.newRateLimit(*r.RateLimit, true)
		if err != nil {
			return nil, err
		}
		pc.rl = rl
	}
	s.ownership.nextPC++
	pc.id = s.ownership.nextPC
	if s.v2 {
		pc.mcID = uuid.NewString()
	}
	budgets, err := s.createBudgets(r.Budgets, pcBudgetChecks(false), budgetSync{owner: s.vkBudgetOwner(vk, pc), aligned: vk.calendar})
	if err != nil {
		return nil, err
	}
	pc.budgets = budgets
	return pc, nil
}

// renderVKMCPConfig is one of a VK's MCP configs, with the client's row
// embedded (Preload("MCPConfigs.MCPClient")). guess: never recorded with
// an entry; the row is renderMCPRow's. A config whose client is gone
// (not possible through the API: deleting a client removes its configs)
// embeds only the name. Callers hold s.mu.
func (s *Server) renderVKMCPConfig(vk *virtualKey, m *mcpConfig) object {
	var clientID uint
	row := object{{"name", m.client}}
	if mc := s.mcpClientByName(m.client); mc != nil {
		clientID, row = mc.rowID, s.renderMCPRow(mc, true)
	}
	return object{
		{"id", m.id}, {"virtual_key_id", vk.id}, {"mcp_client_id", clientID},
		{"mcp_client", row}, {"tools_to_execute", nonNil(m.tools)},
	}
}

// applyMCPConfigs reconciles a VK's MCP configs by id: entries without an id
// are created (the client must exist, and only once per VK), entries with one
// change their tools, the rest are deleted; creates run before deletes.
func (s *Server) applyMCPConfigs(vk *virtualKey, list []mcpConfigReq) error {
	seen := map[string]bool{}
	for _, m := range list {
		if seen[m.MCPClientName] {
			return badf("duplicate mcp_client_name: %s", m.MCPClientName)
		}
		seen[m.MCPClientName] = true
	}
	kept := map[uint]bool{}
	var added []*mcpConfig
	for _, m := range list {
		if err := validateList(m.ToolsToExecute, "whitelist"); err != nil {
			return badf("invalid tools_to_execute for mcp client %s: %v", m.MCPClientName, err)
		}
		if m.ID != nil {
			i := slices.IndexFunc(vk.mcps, func(c *mcpConfig) bool { return c.id == *m.ID })
			if i < 0 {
				return fmt.Errorf("MCP config %d does not belong to this virtual key", *m.ID)
			}
			kept[*m.ID] = true
			vk.mcps[i].tools = m.ToolsToExecute
			continue
		}
		if !s.mcpClientExists(m.MCPClientName) {
			return errors.New("failed to get MCP client: not found")
		}
		if slices.ContainsFunc(slices.Concat(vk.mcps, added), func(c *mcpConfig) bool { return c.client == m.MCPClientName }) {
			// idx_vk_mcpclient; guess: the store reports the column as "value",
			// as it does for a VK name clash on update.
			return errors.New(dupValue)
		}
		s.ownership.nextMCP++
		added = append(added, &mcpConfig{id: s.ownership.nextMCP, client: m.MCPClientName, tools: m.ToolsToExecute})
	}
	vk.mcps = slices.DeleteFunc(vk.mcps, func(c *mcpConfig) bool { return !kept[c.id] })
	vk.mcps = append(vk.mcps, added...)
	return nil
}

func (s *Server) createVK(c *call) reply {
	var req vkReq
	var v2 vkV2Req
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	if s.v2 {
		if rp, ok := s.decodeGov(c.body, &v2); !ok {
			return rp
		}
	}
	vk := &virtualKey{id: uuid.NewString(), value: "sk-bf-" + uuid.NewString(), active: true}
	if req.Name != nil {
		vk.name = *req.Name
	}
	if vk.name == "" {
		return s.errReply(http.StatusBadRequest, "Virtual key name is required")
	}
	if req.TeamID.given() && req.CustomerID.given() {
		return s.errReply(http.StatusBadRequest, msgVKBoth)
	}
	if err := s.checkBudgets(req.Budgets, s.listChecks(true)); err != nil {
		return s.errReply(http.StatusBadRequest, err.Error())
	}
	if s.v2 && v2.ExpiresAt.given() {
		t, err := time.Parse(time.RFC3339Nano, v2.ExpiresAt.val)
		if err != nil {
			return s.errReply(http.StatusBadRequest, "Invalid JSON")
		}
		if !t.After(time.Now()) {
			return s.errReply(http.StatusBadRequest, msgExpiresPast)
		}
		vk.expiresAt = &t
	}
	if req.Description != nil {
		vk.description = *req.Description
	}
	vk.teamID, vk.customerID = req.TeamID.val, req.CustomerID.val
	if req.IsActive != nil {
		vk.active = *req.IsActive
	}
	vk.calendar = req.CalendarAligned != nil && *req.CalendarAligned
	if s.v2 {
		vk.mcID = uuid.NewString()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rp, locked := s.lockFailed("", ""); locked {
		return rp
	}
	counters := [2]uint{s.ownership.nextPC, s.ownership.nextMCP}
	if err := s.buildVK(vk, req, v2); err != nil {
		s.ownership.nextPC, s.ownership.nextMCP = counters[0], counters[1]
		if errors.Is(err, errVKDuplicate) {
			return s.errReply(http.StatusConflict, msgVKDuplicate2)
		}
		return s.writeFailed(err, "", "")
	}
	vk.created = time.Now().UTC()
	vk.updated = vk.created
	s.ownership.vks = append(s.ownership.vks, vk)
	return saved(kv{"message", "Virtual key created successfully"}, kv{"virtual_key", s.renderVK(vk, true)})
}

// buildVK is the create transaction, in the handler's order.
func (s *Server) buildVK(vk *virtualKey, req vkReq, v2 vkV2Req) error {
	if req.RateLimit != nil {
		rl, err := s.ownership.newRateLimit(*req.RateLimit, true)
		if err != nil {
			return err
		}
		vk.rl = rl
	}
	if err := s.checkVKRow(vk, false); err != nil {
		return err
	}
	budgets, err := s.createBudgets(req.Budgets, budgetChecks{}, budgetSync{owner: s.vkBudgetOwner(vk, nil), aligned: vk.calendar})
	if err != nil {
		return err
	}
	vk.budgets = budgets
	vk.pcs = []*providerConfig{}
	for i, r := range req.ProviderConfigs {
		pc, err := s.newPC(vk, r, v2.blacklistAt(i))
		if err != nil {
			return err
		}
		vk.pcs = append(vk.pcs, pc)
	}
	vk.mcps = []*mcpConfig{}
	return s.applyMCPConfigs(vk, req.MCPConfigs)
}

// blacklistAt is the v2 blacklisted_models of the i-th provider config sent.
func (v2 vkV2Req) blacklistAt(i int) []string {
	if i < len(v2.ProviderConfigs) {
		return v2.ProviderConfigs[i].BlacklistedModels
	}
	return nil
}

func (s *Server) getVK(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	vk := s.findVK(id)
	if vk == nil {
		return s.errReply(http.StatusNotFound, msgVKNotFound)
	}
	return jsonReply(goMap(kv{"virtual_key", s.renderVK(vk, true)}))
}

// listVKs is GET /api/governance/virtual-keys; limit, offset, search,
// customer_id or team_id switch to the paginated query.
func (s *Server) listVKs(c *call) reply {
	q := c.r.URL.Query()
	p, rp, ok := s.strictPage(q, "customer_id", "team_id")
	if !ok {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.ownership.vks
	if p.paged {
		rows = slices.DeleteFunc(slices.Clone(rows), func(vk *virtualKey) bool {
			return !p.matches(vk.name) ||
				(q.Get("customer_id") != "" && vk.customerID != q.Get("customer_id")) ||
				(q.Get("team_id") != "" && vk.teamID != q.Get("team_id"))
		})
	}
	// v2 answers an empty list with null (governance-exchanges-v2.jsonl).
	return listReply("virtual_keys", rows, p, func(vk *virtualKey) any { return s.renderVK(vk, true) }, s.v2)
}

func (s *Server) updateVK(c *call, id string) reply {
	var req vkReq
	var v2 vkV2Req
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	if s.v2 {
		if rp, ok := s.decodeGov(c.body, &v2); !ok {
			return rp
		}
	}
	if (!s.v2 && req.TeamID.given() && req.CustomerID.given()) || (s.v2 && req.TeamID.valued() && req.CustomerID.valued()) {
		return s.errReply(http.StatusBadRequest, msgVKBoth)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.findVK(id)
	if old == nil {
		return s.errReply(http.StatusNotFound, msgVKNotFound)
	}
	const prefix = "Failed to update virtual key: "
	if rp, locked := s.lockFailed(prefix, ""); locked {
		return rp
	}
	vk := old.clone()
	counters := [2]uint{s.ownership.nextPC, s.ownership.nextMCP}
	if err := s.changeVK(vk, req, v2); err != nil {
		s.ownership.nextPC, s.ownership.nextMCP = counters[0], counters[1]
		switch {
		case errors.Is(err, errVKDuplicate):
			return s.errReply(http.StatusConflict, msgVKDuplicate2)
		case isBadRequest(err) || strings.Contains(err.Error(), "already exists") || strings.Contains(err.Error(), "duplicate key"):
			return s.errReply(http.StatusBadRequest, prefix+err.Error())
		}
		return s.errReply(http.StatusInternalServerError, prefix+err.Error())
	}
	vk.updated = time.Now().UTC()
	s.ownership.vks[slices.Index(s.ownership.vks, old)] = vk
	return saved(kv{"message", "Virtual key updated successfully"}, kv{"virtual_key", s.renderVK(vk, true)})
}

// changeVK is the update transaction, in the handler's order (governance.md
// §2.1): scalar fields, ownership, budgets, rate limit, the row itself, then
// provider configs and MCP configs.
func (s *Server) changeVK(vk *virtualKey, req vkReq, v2 vkV2Req) error {
	if req.Name != nil {
		vk.name = *req.Name
	}
	if req.Description != nil {
		vk.description = *req.Description
	}
	s.changeVKOwner(vk, req)
	if req.IsActive != nil {
		vk.active = *req.IsActive
	}
	if req.CalendarAligned != nil {
		vk.calendar = *req.CalendarAligned
	}
	if s.v2 && v2.ExpiresAt.set {
		vk.expiresAt = nil
		if v2.ExpiresAt.val != "" {
			t, err := parseExpiry(v2.ExpiresAt.val)
			if err != nil {
				return err
			}
			vk.expiresAt = t
		}
	}
	if err := s.patchVKLimits(&vk.limits, req.Budgets, req.RateLimit, s.listChecks(false), s.vkBudgetOwner(vk, nil), vk.calendar); err != nil {
		return err
	}
	if err := s.checkVKRow(vk, true); err != nil {
		return err
	}
	if req.ProviderConfigs != nil {
		if err := s.changePCs(vk, req.ProviderConfigs, v2); err != nil {
			return err
		}
	}
	if req.MCPConfigs != nil {
		if err := s.applyMCPConfigs(vk, req.MCPConfigs); err != nil {
			return err
		}
	}
	if s.v2 && v2.ResetBudgetUsage != nil && *v2.ResetBudgetUsage {
		for _, l := range append([]limits{vk.limits}, pcLimits(vk)...) {
			for _, b := range l.budgets {
				b.usage, b.lastReset = 0, firstReset(vk.calendar, b.resetDuration)
			}
		}
	}
	return nil
}

// patchVKLimits applies a virtual key's or provider config's update of its
// limits: budgets reconciled when sent, the rate limit patched field by field.
func (s *Server) patchVKLimits(l *limits, budgets []budgetReq, rl *rateLimitReq, checks budgetChecks, owner budgetOwner, aligned bool) error {
	if budgets != nil {
		if err := s.checkBudgets(budgets, checks); err != nil {
			return err
		}
		reconciled, err := s.reconcileBudgets(l.budgets, budgets, budgetSync{owner: owner, aligned: aligned})
		if err != nil {
			return err
		}
		l.budgets = reconciled
	}
	if rl != nil {
		patched, err := s.ownership.patchRateLimit(l.rl, *rl)
		if err != nil {
			return err
		}
		l.rl = patched
	}
	return nil
}

func pcLimits(vk *virtualKey) []limits {
	var out []limits
	for _, pc := range vk.pcs {
		out = append(out, pc.limits)
	}
	return out
}

// changeVKOwner applies team_id and customer_id: v1.5 sets the one sent
// (clearing the other) and clears both when neither is sent; v2 leaves both
// alone when neither is sent and clears both on null or "".
func (s *Server) changeVKOwner(vk *virtualKey, req vkReq) {
	has := optString.given
	if s.v2 {
		has = optString.valued
	}
	switch {
	case has(req.TeamID):
		vk.teamID, vk.customerID = req.TeamID.val, ""
	case has(req.CustomerID):
		vk.teamID, vk.customerID = "", req.CustomerID.val
	case !s.v2 || req.TeamID.set || req.CustomerID.set:
		vk.teamID, vk.customerID = "", ""
	}
}

// changePCs reconciles provider configs by id: entries with an id update
// that config in place (their budgets and rate limit follow the VK rules),
// entries without one are created, and every config not referenced is
// deleted with its budgets and rate limit.
func (s *Server) changePCs(vk *virtualKey, list []pcReq, v2 vkV2Req) error {
	kept := map[uint]bool{}
	var added []*providerConfig
	for i, r := range list {
		if r.ID == nil {
			pc, err := s.newPC(vk, r, v2.blacklistAt(i))
			if err != nil {
				return err
			}
			added = append(added, pc)
			continue
		}
		j := slices.IndexFunc(vk.pcs, func(pc *providerConfig) bool { return pc.id == *r.ID })
		if j < 0 {
			return fmt.Errorf("provider config %d does not belong to this virtual key", *r.ID)
		}
		pc := vk.pcs[j]
		kept[pc.id] = true
		if err := s.applyPC(pc, r, v2.blacklistAt(i)); err != nil {
			return err
		}
		if err := s.patchVKLimits(&pc.limits, r.Budgets, r.RateLimit, pcBudgetChecks(true), s.vkBudgetOwner(vk, pc), vk.calendar); err != nil {
			return err
		}
	}
	vk.pcs = slices.DeleteFunc(vk.pcs, func(pc *providerConfig) bool { return !kept[pc.id] })
	vk.pcs = append(vk.pcs, added...)
	return nil
}

func (s *Server) deleteVK(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	vk := s.findVK(id)
	if vk == nil {
		return s.errReply(http.StatusNotFound, msgVKNotFound)
	}
	if rp, locked := s.lockFailed("", "Failed to delete virtual key"); locked {
		return rp
	}
	s.ownership.vks = slices.DeleteFunc(s.ownership.vks, func(v *virtualKey) bool { return v == vk })
	return saved(kv{"message", "Virtual key deleted successfully"})
}

// rotateVK is v2's POST /api/governance/virtual-keys/{id}/rotate: a new value.
func (s *Server) rotateVK(id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	vk, err := s.rotate(id)
	if err != nil {
		if vk == nil {
			return s.errReply(http.StatusNotFound, msgVKNotFound)
		}
		return s.errReply(http.StatusInternalServerError, "Failed to rotate virtual key: "+err.Error())
	}
	return saved(kv{"message", "Virtual key rotated successfully"}, kv{"virtual_key", s.renderVK(vk, true)})
}

// rotate gives the virtual key id a new value; it returns the key found
// (nil when there is none) and the store's error.
func (s *Server) rotate(id string) (*virtualKey, error) {
	vk := s.findVK(id)
	if vk == nil {
		return nil, errors.New("virtual key not found")
	}
	if s.lockedWrite() {
		return vk, errors.New(dbLocked)
	}
	vk.value, vk.updated = "sk-bf-"+uuid.NewString(), time.Now().UTC()
	return vk, nil
}

// rotateVKs is v2's bulk POST /api/governance/virtual-keys/rotate.
func (s *Server) rotateVKs(c *call) reply {
	var req struct {
		IDs []string `json:"ids"`
	}
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	if len(req.IDs) == 0 {
		return s.errReply(http.StatusBadRequest, "At least one virtual key ID is required")
	}
	var ids []string
	for _, id := range req.IDs {
		id = strings.TrimSpace(id)
		if id == "" {
			return s.errReply(http.StatusBadRequest, "Virtual key ID cannot be empty")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rotated := []any{}
	failures := object{}
	for _, id := range ids {
		vk, err := s.rotate(id)
		if err != nil {
			failures = append(failures, kv{id, err.Error()})
			continue
		}
		rotated = append(rotated, s.renderVK(vk, true))
	}
	members := []kv{{"message", "Virtual keys rotated successfully"}, {"virtual_keys", rotated}}
	if len(failures) > 0 {
		members = append(members, kv{"errors", goMap(failures...)})
	}
	if len(rotated) == 0 {
		members[0].v = "Failed to rotate virtual keys"
		rp := jsonReply(goMap(members...))
		rp.status = http.StatusInternalServerError
		return rp
	}
	return saved(members...)
}

// renderVK renders a virtual key as GET preloads it (full) or as the bare
// row a customer embeds (no relations, null config lists).
func (s *Server) renderVK(vk *virtualKey, full bool) object {
	o := object{{"id", vk.id}, {"name", vk.name}}
	if vk.description != "" {
		o = append(o, kv{"description", vk.description})
	}
	if !s.v2 {
		o = append(o, kv{"value", vk.value})
	}
	o = append(o, kv{"is_active", vk.active})
	if full {
		pcs, mcps := []any{}, []any{}
		for _, pc := range vk.pcs {
			pcs = append(pcs, s.renderPC(vk, pc))
		}
		for _, m := range vk.mcps {
			mcps = append(mcps, s.renderVKMCPConfig(vk, m))
		}
		o = append(o, kv{"provider_configs", pcs}, kv{"mcp_configs", mcps})
	} else {
		o = append(o, kv{"provider_configs", nil}, kv{"mcp_configs", nil})
	}
	if vk.teamID != "" {
		o = append(o, kv{"team_id", vk.teamID})
	}
	if vk.customerID != "" {
		o = append(o, kv{"customer_id", vk.customerID})
	}
	if vk.rl != nil {
		o = append(o, kv{"rate_limit_id", vk.rl.id})
	}
	o = append(o, kv{"calendar_aligned", vk.calendar})
	if vk.expiresAt != nil {
		// guess: where v2 writes expires_at (no recording sets it).
		o = append(o, kv{"expires_at", vk.expiresAt})
	}
	if full {
		if t := s.findTeam(vk.teamID); t != nil {
			o = append(o, kv{"team", s.renderTeam(t, embedTeamInVK, 0)})
		}
		if c := s.findCustomer(vk.customerID); c != nil {
			o = append(o, kv{"customer", s.renderCustomer(c, embedCustomerInVK, 0)})
		}
		o = s.appendRateLimit(o, vk.rl)
		if b := s.renderBudgets(vk.budgets); b != nil {
			o = append(o, kv{"budgets", b})
		}
	}
	o = append(o, kv{"config_hash", ""}, kv{"created_at", vk.created}, kv{"updated_at", vk.updated})
	if s.v2 {
		o = append(o, kv{"value", vk.value})
	}
	return o
}

// renderPC renders a provider config; its keys are the config-store rows of
// the provider keys it allows, stripped of their secrets.
func (s *Server) renderPC(vk *virtualKey, pc *providerConfig) object {
	o := object{{"id", pc.id}, {"virtual_key_id", vk.id}, {"provider", pc.provider}, {"weight", pc.weight}, {"allow_all_keys", pc.allowAllKeys}}
	if pc.rl != nil {
		o = append(o, kv{"rate_limit_id", pc.rl.id})
	}
	o = s.appendRateLimit(o, pc.rl)
	if b := s.renderBudgets(pc.budgets); b != nil {
		o = append(o, kv{"budgets", b})
	}
	keys := []any{}
	for _, name := range sortedKeys(s.providers) {
		for _, k := range s.providers[name].keys {
			if slices.Contains(pc.keyIDs, k.id) {
				keys = append(keys, s.renderKeyRow(name, k))
			}
		}
	}
	o = append(o, kv{"keys", keys}, kv{"allowed_models", nonNil(pc.allowedModels)})
	if s.v2 {
		o = append(o, kv{"blacklisted_models", nonNil(pc.blacklist)})
	}
	return o
}

// renderKeyRow is a provider key as a provider config embeds it: the table
// row with its value cleared (recorded: weight null, status "", zero times).
func (s *Server) renderKeyRow(provider string, k *key) object {
	const zeroTime = "0001-01-01T00:00:00Z"
	value := secret{}
	if s.v2 {
		value.typ = typePlain
	}
	o := object{
		{"id", s.keyRow(k.id)}, {"name", k.name}, {"provider_id", 0}, {"provider", provider}, {"key_id", k.id},
		{"value", value.wire(s.v2)}, {"weight", nil}, {"enabled", k.enabled == nil || *k.enabled},
		{"created_at", zeroTime}, {"updated_at", zeroTime}, {"config_hash", ""}, {"use_for_batch_api", k.batch},
	}
	if s.v2 {
		o = append(o, kv{"use_anthropic_endpoints", k.anthropic})
	}
	return append(o, kv{"status", ""}, kv{"models", nonNil(k.models)}, kv{"blacklisted_models", nil})
}

// keyRow is a provider key's autoincrement row id in the config store. The
// emulator numbers keys the first time a virtual key shows one, oldest
// first (guess: the real ids also count deleted keys).
func (s *Server) keyRow(id string) int {
	rows := s.ownership.keyRows
	if rows[id] == 0 {
		var unseen []*key
		for _, p := range s.providers {
			for _, k := range p.keys {
				if rows[k.id] == 0 {
					unseen = append(unseen, k)
				}
			}
		}
		slices.SortStableFunc(unseen, func(a, b *key) int { return a.created.Compare(b.created) })
		for _, k := range unseen {
			rows[k.id] = len(rows) + 1
		}
	}
	return rows[id]
}
