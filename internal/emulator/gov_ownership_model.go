package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
)

// modelConfig is a model-level budget and rate limit. v2 also stores
// provider governance as one (model "*", scope global) and shows the limits
// of virtual keys as read-only ones (scope virtual_key, see vkModelConfigs).
type modelConfig struct {
	id, modelName  string
	provider       *string
	scope, scopeID string // v2
	calendar       bool   // v2
	limits
	created, updated time.Time
}

// modelConfigReq is the body of model config creates and updates; v1.5
// takes one budget, v2 a budgets list (its create ignores a singular
// budget, governance-exchanges-v2.jsonl).
type modelConfigReq struct {
	ModelName       *string       `json:"model_name"`
	Provider        *string       `json:"provider"`
	Budget          *budgetPatch  `json:"budget"`
	Budgets         []budgetReq   `json:"budgets"`          // v2
	RateLimit       *rateLimitReq `json:"rate_limit"`       // replaced on update
	CalendarAligned *bool         `json:"calendar_aligned"` // v2
	Scope           string        `json:"scope"`            // v2
	ScopeID         *string       `json:"scope_id"`         // v2
}

// providerGovReq is the body of PUT /api/governance/providers/{name}.
type providerGovReq struct {
	Budget          *budgetPatch  `json:"budget"`
	Budgets         []budgetReq   `json:"budgets"` // v2
	RateLimit       *rateLimitReq `json:"rate_limit"`
	CalendarAligned *bool         `json:"calendar_aligned"` // v2
}

const (
	msgModelConfigNotFound = "Model config not found"
	scopeGlobal            = "global"
	allModels              = "*"
)

// errDuplicateRow is a unique index violation of an update whose handler
// hides the cause.
var errDuplicateRow = errors.New(dupName)

func (s *Server) findModelConfig(id string) *modelConfig {
	for _, mc := range s.ownership.modelConfigs {
		if mc.id == id {
			return mc
		}
	}
	return nil
}

// sameModelConfig reports whether two model configs share their identity:
// (model, provider), and on v2 the scope too.
func sameModelConfig(a, b *modelConfig) bool {
	return a.modelName == b.modelName && a.scope == b.scope && a.scopeID == b.scopeID &&
		(a.provider == nil) == (b.provider == nil) && (a.provider == nil || *a.provider == *b.provider)
}

// modelConfigSaveError is the store's BeforeSave check of a model config.
func (s *Server) modelConfigSaveError(mc *modelConfig) error {
	if s.v2 {
		if mc.scope == "" {
			mc.scope = scopeGlobal
		}
		switch {
		case mc.scope != scopeGlobal && mc.scope != "virtual_key" && mc.scope != "user":
			return fmt.Errorf("invalid scope %q for model config", mc.scope)
		case mc.scope == scopeGlobal:
			mc.scopeID = ""
		case mc.scopeID == "":
			return fmt.Errorf("scope_id is required when scope is %q", mc.scope)
		}
	}
	if mc.provider != nil && *mc.provider == "" {
		return errors.New("provider cannot be an empty string")
	}
	return nil
}

func (s *Server) modelConfigOwner(mc *modelConfig) budgetOwner {
	if s.v2 {
		return budgetOwner{modelConfig: mc.id}
	}
	return budgetOwner{}
}

func (s *Server) createModelConfig(c *call) reply {
	var req modelConfigReq
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	now := time.Now().UTC()
	mc := &modelConfig{id: uuid.NewString(), provider: req.Provider, created: now, updated: now}
	if req.ModelName != nil {
		mc.modelName = *req.ModelName
	}
	if mc.modelName == "" {
		return s.errReply(http.StatusBadRequest, "Model name is required")
	}
	if s.v2 {
		mc.scope = req.Scope
		if req.ScopeID != nil {
			mc.scopeID = *req.ScopeID
		}
		mc.calendar = req.CalendarAligned != nil && *req.CalendarAligned
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rp, dup := s.modelConfigConflict(mc); dup {
		return rp
	}
	var budgets []budgetReq
	if s.v2 {
		budgets = req.Budgets
	} else if req.Budget != nil {
		budgets = []budgetReq{req.Budget.asBudget()}
		if err := s.checkBudgets(budgets, singleBudgetChecks); err != nil {
			return s.errReply(http.StatusBadRequest, err.Error())
		}
	}
	const prefix = "Failed to create model config: "
	if rp, locked := s.lockFailed(prefix, ""); locked {
		return rp
	}
	if err := s.buildModelConfig(mc, budgets, req.RateLimit); err != nil {
		// guess: v2 answers its budget list checks with 400.
		return s.writeFailed(err, prefix, "")
	}
	s.ownership.modelConfigs = append(s.ownership.modelConfigs, mc)
	return saved(kv{"message", "Model config created successfully"}, kv{"model_config", s.renderModelConfig(mc)})
}

// modelConfigConflict is the 409 of a create whose identity is taken.
func (s *Server) modelConfigConflict(mc *modelConfig) (reply, bool) {
	probe := *mc
	if s.v2 && probe.scope == "" {
		probe.scope = scopeGlobal
	}
	if !slices.ContainsFunc(s.ownership.modelConfigs, func(o *modelConfig) bool { return sameModelConfig(o, &probe) }) {
		return reply{}, false
	}
	where := " (global)"
	if s.v2 {
		// guess: non-global scopes name their scope the same way.
		where = " (" + probe.scope + ")"
	}
	msg := fmt.Sprintf("Model config for model '%s'%s already exists", mc.modelName, where)
	if mc.provider != nil {
		msg = fmt.Sprintf("Model config for model '%s' with provider '%s' already exists", mc.modelName, *mc.provider)
		if s.v2 {
			msg = fmt.Sprintf("Model config for model '%s' with provider '%s'%s already exists", mc.modelName, *mc.provider, where)
		}
	}
	return s.errReply(http.StatusConflict, msg), true
}

// buildModelConfig is the create transaction: budgets, rate limit, then the
// row's own checks.
func (s *Server) buildModelConfig(mc *modelConfig, budgets []budgetReq, rl *rateLimitReq) error {
	var err error
	if s.v2 {
		mc.budgets, err = s.createBudgets(budgets, s.listChecks(false), budgetSync{owner: s.modelConfigOwner(mc), aligned: mc.calendar})
	} else {
		mc.budgets, err = s.createBudgets(budgets, budgetChecks{}, budgetSync{})
	}
	if err != nil {
		return err
	}
	if rl != nil {
		if mc.rl, err = s.ownership.newRateLimit(*rl, true); err != nil {
			return err
		}
	}
	return s.modelConfigSaveError(mc)
}

// vkModelConfigs are v2's views of virtual key limits as VK-scoped model
// configs (model "*", one per VK tier holding limits). The emulator serves
// them read-only, in lists and GET.
func (s *Server) vkModelConfigs() []*modelConfig {
	if !s.v2 {
		return nil
	}
	var out []*modelConfig
	for _, vk := range s.ownership.vks {
		tier := func(id string, provider *string, l limits, created time.Time) {
			if !l.empty() {
				out = append(out, &modelConfig{
					id: id, modelName: allModels, provider: provider, scope: "virtual_key", scopeID: vk.id,
					calendar: vk.calendar, limits: l, created: created, updated: vk.updated,
				})
			}
		}
		tier(vk.mcID, nil, vk.limits, vk.created)
		for _, pc := range vk.pcs {
			tier(pc.mcID, &pc.provider, pc.limits, pc.created)
		}
	}
	return out
}

func (s *Server) getModelConfig(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	mc := s.findModelConfig(id)
	if views := s.vkModelConfigs(); mc == nil {
		if i := slices.IndexFunc(views, func(v *modelConfig) bool { return v.id == id }); i >= 0 {
			mc = views[i]
		}
	}
	if mc == nil {
		return s.errReply(http.StatusNotFound, msgModelConfigNotFound)
	}
	return jsonReply(goMap(kv{"model_config", s.renderModelConfig(mc)}))
}

func (s *Server) listModelConfigs(c *call) reply {
	p, rp, ok := s.strictPage(c.r.URL.Query())
	if !ok {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := append(slices.Clone(s.ownership.modelConfigs), s.vkModelConfigs()...)
	slices.SortStableFunc(rows, func(a, b *modelConfig) int { return a.created.Compare(b.created) })
	if p.paged {
		rows = slices.DeleteFunc(rows, func(mc *modelConfig) bool { return !p.matches(mc.modelName) })
	}
	return listReply("model_configs", rows, p, func(mc *modelConfig) any { return s.renderModelConfig(mc) }, false)
}

func (s *Server) updateModelConfig(c *call, id string) reply {
	var req modelConfigReq
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.findModelConfig(id)
	if old == nil {
		return s.errReply(http.StatusNotFound, msgModelConfigNotFound)
	}
	const prefix = "Failed to update model config: "
	if rp, locked := s.lockFailed(prefix, ""); locked {
		return rp
	}
	mc := *old
	mc.limits = old.clone()
	if err := s.changeModelConfig(&mc, req); err != nil {
		return s.writeFailed(err, prefix, "")
	}
	mc.updated = time.Now().UTC()
	*old = mc
	return saved(kv{"message", "Model config updated successfully"}, kv{"model_config", s.renderModelConfig(old)})
}

// changeModelConfig is the update transaction: name and provider (scope is
// fixed), budgets, rate limit (replaced), then the row's checks.
func (s *Server) changeModelConfig(mc *modelConfig, req modelConfigReq) error {
	if req.ModelName != nil {
		mc.modelName = *req.ModelName
	}
	if req.Provider != nil {
		mc.provider = req.Provider
	}
	if err := s.changeLimits(mc, req.Budget, req.Budgets, req.RateLimit, req.CalendarAligned, true); err != nil {
		return err
	}
	if err := s.modelConfigSaveError(mc); err != nil {
		return err
	}
	if slices.ContainsFunc(s.ownership.modelConfigs, func(o *modelConfig) bool { return o.id != mc.id && sameModelConfig(o, mc) }) {
		return errDuplicateRow // guess: the store's unique-index message
	}
	return nil
}

// changeLimits applies the limits of a model config or provider governance
// update: v1.5 patches its single budget (precheck: the model config
// handler's checks of a new one), v2 reconciles budgets (a singular budget
// stands for a list of one) and may turn calendar alignment on; the rate
// limit is replaced.
func (s *Server) changeLimits(mc *modelConfig, one *budgetPatch, list []budgetReq, rl *rateLimitReq, aligned *bool, precheck bool) error {
	wasAligned := mc.calendar
	switch {
	case !s.v2 && one != nil:
		budgets, err := s.patchBudget(mc.budgets, one, precheck)
		if err != nil {
			return err
		}
		mc.budgets = budgets
	case s.v2:
		if aligned != nil {
			mc.calendar = *aligned
		}
		if one != nil && list == nil {
			list = legacyBudgets(one, mc.budgets)
		}
		if list == nil {
			break
		}
		if err := s.checkBudgets(list, s.listChecks(false)); err != nil {
			return err
		}
		budgets, err := s.reconcileBudgets(mc.budgets, list, budgetSync{owner: s.modelConfigOwner(mc), aligned: mc.calendar})
		if err != nil {
			return err
		}
		mc.budgets = budgets
	}
	if rl != nil {
		r, err := s.ownership.replaceRateLimit(mc.rl, *rl)
		if err != nil {
			return err
		}
		mc.rl = r
	}
	if mc.calendar && !wasAligned {
		snapToCalendar(mc.limits)
	}
	return nil
}

func (s *Server) deleteModelConfig(_ *call, id string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	mc := s.findModelConfig(id)
	if mc == nil {
		return s.errReply(http.StatusNotFound, msgModelConfigNotFound)
	}
	if rp, locked := s.lockFailed("", "Failed to delete model config"); locked {
		return rp
	}
	s.ownership.modelConfigs = slices.DeleteFunc(s.ownership.modelConfigs, func(o *modelConfig) bool { return o == mc })
	return saved(kv{"message", "Model config deleted successfully"})
}

func (s *Server) renderModelConfig(mc *modelConfig) object {
	o := object{{"id", mc.id}, {"model_name", mc.modelName}}
	if mc.provider != nil {
		o = append(o, kv{"provider", *mc.provider})
	}
	if s.v2 {
		o = append(o, kv{"scope", mc.scope})
		if mc.scopeID != "" {
			o = append(o, kv{"scope_id", mc.scopeID})
		}
		o = append(o, kv{"calendar_aligned", mc.calendar})
	} else if len(mc.budgets) > 0 {
		o = append(o, kv{"budget_id", mc.budgets[0].id})
	}
	if mc.rl != nil {
		o = append(o, kv{"rate_limit_id", mc.rl.id})
	}
	switch {
	case s.v2 && len(mc.budgets) > 0:
		o = append(o, kv{"budgets", s.renderBudgets(mc.budgets)})
	case len(mc.budgets) > 0:
		o = append(o, kv{"budget", s.renderBudget(mc.budgets[0])})
	}
	o = s.appendRateLimit(o, mc.rl)
	return append(o, kv{"config_hash", ""}, kv{"created_at", mc.created}, kv{"updated_at", mc.updated})
}

// providerModelConfig is v2's model config holding a provider's governance.
func (s *Server) providerModelConfig(name string) *modelConfig {
	for _, mc := range s.ownership.modelConfigs {
		if mc.modelName == allModels && mc.scope == scopeGlobal && mc.provider != nil && *mc.provider == name {
			return mc
		}
	}
	return nil
}

// providerLimits is a configured provider's governance; nil when it has
// none.
func (s *Server) providerLimits(name string) *modelConfig {
	if s.v2 {
		return s.providerModelConfig(name)
	}
	if l, ok := s.ownership.providerGov[name]; ok {
		return &modelConfig{limits: l}
	}
	return nil
}

func (s *Server) renderProviderGov(name string, mc *modelConfig) object {
	o := object{{"provider", name}}
	if len(mc.budgets) > 0 {
		o = append(o, kv{"budget", s.renderBudget(mc.budgets[0])})
		if s.v2 {
			o = append(o, kv{"budgets", s.renderBudgets(mc.budgets)})
		}
	}
	o = s.appendRateLimit(o, mc.rl)
	if s.v2 {
		o = append(o, kv{"calendar_aligned", mc.calendar})
	}
	return o
}

// listProviderGovernance lists the configured providers that have a budget
// or rate limit; null when none does.
func (s *Server) listProviderGovernance(*call) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	var list []any
	for _, name := range sortedKeys(s.providers) {
		if mc := s.providerLimits(name); mc != nil && !mc.empty() {
			list = append(list, s.renderProviderGov(name, mc))
		}
	}
	return jsonReply(object{{"count", len(list)}, {"providers", list}})
}

func (s *Server) updateProviderGovernance(c *call, name string) reply {
	var req providerGovReq
	if rp, ok := s.decodeGov(c.body, &req); !ok {
		return rp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.providers[name] == nil {
		return s.errReply(http.StatusNotFound, "Provider not found")
	}
	const prefix = "Failed to update provider governance: "
	if rp, locked := s.lockFailed(prefix, ""); locked {
		return rp
	}
	old := s.providerLimits(name)
	mc := &modelConfig{}
	if old != nil {
		*mc = *old
		mc.limits = old.clone()
	} else if s.v2 {
		now := time.Now().UTC()
		mc = &modelConfig{id: uuid.NewString(), modelName: allModels, provider: &name, scope: scopeGlobal, created: now, updated: now}
	}
	if err := s.changeLimits(mc, req.Budget, req.Budgets, req.RateLimit, req.CalendarAligned, false); err != nil {
		return s.writeFailed(err, prefix, "")
	}
	switch {
	case !s.v2:
		s.ownership.providerGov[name] = mc.limits
	case old != nil:
		mc.updated = time.Now().UTC()
		*old = *mc
	default:
		s.ownership.modelConfigs = append(s.ownership.modelConfigs, mc)
	}
	return saved(kv{"message", "Provider governance updated successfully"}, kv{"provider", s.renderProviderGov(name, mc)})
}

// deleteProviderGovernance clears a provider's limits: 200 also when it has
// none; v1.5 answers 404 for a provider that is not configured, v2 200.
func (s *Server) deleteProviderGovernance(_ *call, name string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.v2 && s.providers[name] == nil {
		return s.errReply(http.StatusNotFound, "Provider not found")
	}
	if rp, locked := s.lockFailed("", "Failed to delete provider governance"); locked {
		return rp
	}
	delete(s.ownership.providerGov, name)
	if mc := s.providerModelConfig(name); mc != nil {
		s.ownership.modelConfigs = slices.DeleteFunc(s.ownership.modelConfigs, func(o *modelConfig) bool { return o == mc })
	}
	return saved(kv{"message", "Provider governance deleted successfully"})
}
