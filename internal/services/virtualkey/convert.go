package virtualkey

import (
	"context"
	"math"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalue"
)

// providerConfigs reads the provider_configs map of a model, sorted by
// provider name.
func providerConfigs(ctx context.Context, m types.Map) ([]string, map[string]pcModel, diag.Diagnostics) {
	out := map[string]pcModel{}
	if m.IsNull() || m.IsUnknown() {
		return nil, out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, out, diags
}

// mcpConfigs reads the mcp_configs map of a model, sorted by MCP client
// name.
func mcpConfigs(ctx context.Context, m types.Map) ([]string, map[string]mcpModel, diag.Diagnostics) {
	out := map[string]mcpModel{}
	if m.IsNull() || m.IsUnknown() {
		return nil, out, nil
	}
	diags := m.ElementsAs(ctx, &out, false)
	names := make([]string, 0, len(out))
	for n := range out {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, out, diags
}

func stringList(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	out := []string{}
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	sort.Strings(out)
	return out
}

// expandCreate is the create request of the planned key.
func expandCreate(ctx context.Context, p vkModel) (bifrost.VirtualKeyCreate, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := bifrost.VirtualKeyCreate{
		Name: p.Name.ValueString(), Description: p.Description.ValueString(),
		TeamID: p.TeamID.ValueString(), CustomerID: p.CustomerID.ValueString(),
		IsActive: p.IsActive.ValueBoolPointer(), CalendarAligned: p.CalendarAligned.ValueBool(),
		ExpiresAt: p.ExpiresAt.ValueString(),
	}
	var d diag.Diagnostics
	in.Budgets, d = limits.ExpandBudgets(ctx, p.Budgets, nil)
	diags.Append(d...)
	in.RateLimit, d = limits.ExpandRateLimit(ctx, p.RateLimit)
	diags.Append(d...)
	names, pcs, d := providerConfigs(ctx, p.ProviderConfigs)
	diags.Append(d...)
	for _, name := range names {
		pc := pcs[name]
		req := bifrost.ProviderConfigRequest{
			Provider: name, Weight: pc.Weight.ValueFloat64Pointer(),
			AllowedModels: stringList(ctx, pc.AllowedModels, &diags), KeyIDs: stringList(ctx, pc.KeyIDs, &diags),
			BlacklistedModels: stringList(ctx, pc.BlacklistedModels, &diags),
		}
		req.Budgets, d = limits.ExpandBudgets(ctx, pc.Budgets, nil)
		diags.Append(d...)
		req.RateLimit, d = limits.ExpandRateLimit(ctx, pc.RateLimit)
		diags.Append(d...)
		in.ProviderConfigs = append(in.ProviderConfigs, req)
	}
	names, mcps, d := mcpConfigs(ctx, p.MCPConfigs)
	diags.Append(d...)
	for _, name := range names {
		in.MCPConfigs = append(in.MCPConfigs, bifrost.MCPConfigRequest{
			MCPClientName: name, ToolsToExecute: stringList(ctx, mcps[name].ToolsToExecute, &diags),
		})
	}
	return in, diags
}

// buildUpdate is the one PUT that takes the key cur (as just read) to the
// plan (governance.md §2.1):
//   - every scalar field and the ownership are sent (both ids null clears
//     it on v1.5.1 and v2 alike; see VirtualKeyUpdate.Owner);
//   - budgets are sent whole (matched by reset_duration: usage kept);
//   - each provider config is sent with the id of the stored config of
//     the same provider, so it is updated in place (its budgets keep their
//     usage), with its key_ids always; configs of providers no longer
//     configured are left out, which deletes them;
//   - MCP configs are sent likewise, each with the id of the stored config
//     of the same client (only its tools change; a new entry for a client
//     already assigned would clash, creates running before deletes);
//     configs of clients no longer configured are left out, which deletes
//     them (an omitted mcp_configs sends [], as provider_configs does).
//
// A rate limit update is per field on virtual keys: when the plan drops a
// half that the server has (bifrost.DropsAHalf), that rate limit is sent as
// {} (removed) and again reports true: the caller sends a second update,
// built from the first one's answer, which creates it anew.
func buildUpdate(ctx context.Context, p vkModel, prior vkModel, cur *bifrost.VirtualKey, v2 bool) (bifrost.VirtualKeyUpdate, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	again := false
	name, desc := p.Name.ValueString(), p.Description.ValueString()
	u := bifrost.VirtualKeyUpdate{
		Name: &name, Description: &desc, IsActive: p.IsActive.ValueBoolPointer(),
		CalendarAligned: p.CalendarAligned.ValueBoolPointer(),
	}
	u.Owner(p.TeamID.ValueString(), p.CustomerID.ValueString())
	var d diag.Diagnostics
	u.Budgets, d = limits.ExpandBudgetsUpdate(ctx, p.Budgets, nil)
	diags.Append(d...)
	u.RateLimit, d = limits.ExpandRateLimitUpdate(ctx, p.RateLimit, cur.RateLimit != nil)
	diags.Append(d...)
	if bifrost.DropsAHalf(cur.RateLimit, u.RateLimit) {
		u.RateLimit, again = bifrost.RemoveRateLimit(), true
	}
	if v2 {
		if !p.ExpiresAt.IsNull() {
			e := p.ExpiresAt.ValueString()
			u.ExpiresAt = &e
		} else if cur.ExpiresAt != "" || !prior.ExpiresAt.IsNull() {
			e := ""
			u.ExpiresAt = &e
		}
	}
	names, pcs, d := providerConfigs(ctx, p.ProviderConfigs)
	diags.Append(d...)
	list := []bifrost.ProviderConfigRequest{}
	for _, name := range names {
		pc := pcs[name]
		var stored *bifrost.VirtualKeyProviderConfig
		for i := range cur.ProviderConfigs {
			if cur.ProviderConfigs[i].Provider == name {
				stored = &cur.ProviderConfigs[i]
				break
			}
		}
		req := bifrost.ProviderConfigRequest{Provider: name}
		if stored != nil {
			req = stored.AsUpdate()
		}
		req.Weight = pc.Weight.ValueFloat64Pointer()
		req.AllowedModels = stringList(ctx, pc.AllowedModels, &diags)
		req.KeyIDs = stringList(ctx, pc.KeyIDs, &diags)
		req.BlacklistedModels = stringList(ctx, pc.BlacklistedModels, &diags)
		budgets, d := limits.ExpandBudgetsUpdate(ctx, pc.Budgets, nil)
		diags.Append(d...)
		req.Budgets = *budgets
		var had *bifrost.RateLimit
		if stored != nil {
			had = stored.RateLimit
		}
		req.RateLimit, d = limits.ExpandRateLimitUpdate(ctx, pc.RateLimit, had != nil)
		diags.Append(d...)
		if bifrost.DropsAHalf(had, req.RateLimit) {
			req.RateLimit, again = bifrost.RemoveRateLimit(), true
		}
		list = append(list, req)
	}
	u.ProviderConfigs = &list
	mnames, mcps, d := mcpConfigs(ctx, p.MCPConfigs)
	diags.Append(d...)
	mlist := []bifrost.MCPConfigRequest{}
	for _, name := range mnames {
		req := bifrost.MCPConfigRequest{MCPClientName: name}
		for i := range cur.MCPConfigs {
			if cur.MCPConfigs[i].MCPClientName == name {
				req = cur.MCPConfigs[i].AsUpdate()
				break
			}
		}
		req.ToolsToExecute = stringList(ctx, mcps[name].ToolsToExecute, &diags)
		mlist = append(mlist, req)
	}
	u.MCPConfigs = &mlist
	return u, again, diags
}

// flatten is the state of the key got, keeping from prior what the server
// does not hold (store_value, rotation_trigger) and how the configuration
// wrote what it holds in another form (an empty budgets set, expires_at's
// zone).
func flatten(ctx context.Context, got *bifrost.VirtualKey, prior vkModel) (vkModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := vkModel{
		ID: types.StringValue(got.ID), Name: types.StringValue(got.Name), Description: types.StringValue(got.Description),
		IsActive: types.BoolValue(got.IsActive), TeamID: nonEmpty(got.TeamID), CustomerID: nonEmpty(got.CustomerID),
		CalendarAligned: types.BoolValue(got.CalendarAligned),
		StoreValue:      prior.StoreValue, RotationTrigger: prior.RotationTrigger,
	}
	if m.StoreValue.IsNull() || m.StoreValue.IsUnknown() {
		m.StoreValue = types.BoolValue(true)
	}
	if m.RotationTrigger.IsUnknown() {
		m.RotationTrigger = types.StringNull()
	}
	m.Value = types.StringNull()
	if m.StoreValue.ValueBool() {
		m.Value = types.StringValue(got.Value)
	}
	m.ExpiresAt = nonEmpty(got.ExpiresAt)
	if !prior.ExpiresAt.IsNull() && !prior.ExpiresAt.IsUnknown() && sameInstant(prior.ExpiresAt.ValueString(), got.ExpiresAt) {
		m.ExpiresAt = prior.ExpiresAt
	}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgets(got.Budgets, prior.Budgets)
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimit(got.RateLimit)
	diags.Append(d...)
	_, priorPCs, d := providerConfigs(ctx, prior.ProviderConfigs)
	diags.Append(d...)
	elems := map[string]attr.Value{}
	for i := range got.ProviderConfigs {
		pc := &got.ProviderConfigs[i]
		if _, dup := elems[pc.Provider]; dup {
			// Two configs of one provider (made outside Terraform): the
			// first is kept; the next update deletes the other.
			continue
		}
		pp, known := priorPCs[pc.Provider]
		if !known {
			pp = pcModel{Budgets: types.SetNull(limits.BudgetType()), BlacklistedModels: types.SetNull(types.StringType)}
		}
		o, d := flattenPC(pc, pp)
		diags.Append(d...)
		elems[pc.Provider] = o
	}
	switch {
	case len(elems) > 0:
		m.ProviderConfigs, d = types.MapValue(pcType(), elems)
		diags.Append(d...)
	case !prior.ProviderConfigs.IsNull() && !prior.ProviderConfigs.IsUnknown():
		m.ProviderConfigs = types.MapValueMust(pcType(), map[string]attr.Value{})
	default:
		m.ProviderConfigs = types.MapNull(pcType())
	}
	m.MCPConfigs, d = flattenMCPs(got.MCPConfigs, prior.MCPConfigs)
	diags.Append(d...)
	return m, diags
}

// flattenMCPs is the mcp_configs map of the configs got: null when there
// are none and prior had none either (null or unknown), as provider_configs.
func flattenMCPs(got []bifrost.VirtualKeyMCPConfig, prior types.Map) (types.Map, diag.Diagnostics) {
	var diags diag.Diagnostics
	elems := map[string]attr.Value{}
	for i := range got {
		mc := &got[i]
		if _, dup := elems[mc.MCPClientName]; dup || mc.MCPClientName == "" {
			// One client twice cannot happen (idx_vk_mcpclient); a config
			// without its client's name cannot be keyed.
			continue
		}
		o, d := types.ObjectValue(mcpAttrTypes(), map[string]attr.Value{
			"config_id":        configID(mc.ID),
			"tools_to_execute": tfvalue.StringSet(mc.ToolsToExecute, &diags),
		})
		diags.Append(d...)
		elems[mc.MCPClientName] = o
	}
	switch {
	case len(elems) > 0:
		m, d := types.MapValue(mcpType(), elems)
		diags.Append(d...)
		return m, diags
	case !prior.IsNull() && !prior.IsUnknown():
		return types.MapValueMust(mcpType(), map[string]attr.Value{}), diags
	}
	return types.MapNull(mcpType()), diags
}

func flattenPC(pc *bifrost.VirtualKeyProviderConfig, prior pcModel) (types.Object, diag.Diagnostics) {
	var diags diag.Diagnostics
	budgets, d := limits.FlattenBudgets(pc.Budgets, prior.Budgets)
	diags.Append(d...)
	rl, d := limits.FlattenRateLimit(pc.RateLimit)
	diags.Append(d...)
	black := types.SetNull(types.StringType)
	if len(pc.BlacklistedModels) > 0 || (!prior.BlacklistedModels.IsNull() && !prior.BlacklistedModels.IsUnknown()) {
		black = tfvalue.StringSet(pc.BlacklistedModels, &diags)
	}
	o, d := types.ObjectValue(pcAttrTypes(), map[string]attr.Value{
		"config_id":          configID(pc.ID),
		"weight":             types.Float64PointerValue(pc.Weight),
		"allowed_models":     tfvalue.StringSet(pc.AllowedModels, &diags),
		"key_ids":            tfvalue.StringSet(pc.KeyIDs(), &diags),
		"blacklisted_models": black,
		"budgets":            budgets,
		"rate_limit":         rl,
	})
	diags.Append(d...)
	return o, diags
}

func nonEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func sameInstant(a, b string) bool {
	ta, err1 := time.Parse(time.RFC3339Nano, a)
	tb, err2 := time.Parse(time.RFC3339Nano, b)
	return err1 == nil && err2 == nil && ta.Equal(tb)
}

// configID is a provider config's id as an Int64 (ids are small
// autoincrement integers; one beyond int64 would be shown as null).
func configID(id uint) types.Int64 {
	if uint64(id) > math.MaxInt64 {
		return types.Int64Null()
	}
	return types.Int64Value(int64(id)) //nolint:gosec // checked above
}
