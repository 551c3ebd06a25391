package routingrule

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// ruleModel is the state of a bifrost_routing_rule (the dashboard's query
// builder state is left out).
type ruleModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	Description   types.String `tfsdk:"description"`
	Enabled       types.Bool   `tfsdk:"enabled"`
	ChainRule     types.Bool   `tfsdk:"chain_rule"`
	CelExpression types.String `tfsdk:"cel_expression"`
	Targets       types.List   `tfsdk:"targets"`
	Fallbacks     types.List   `tfsdk:"fallbacks"`
	Scope         types.String `tfsdk:"scope"`
	ScopeID       types.String `tfsdk:"scope_id"`
	Priority      types.Int64  `tfsdk:"priority"`
}

// targetModel is one target; provider, model and key_id are null for "the
// request's own".
type targetModel struct {
	Provider types.String  `tfsdk:"provider"`
	Model    types.String  `tfsdk:"model"`
	KeyID    types.String  `tfsdk:"key_id"`
	Weight   types.Float64 `tfsdk:"weight"`
}

func targetAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{"provider": types.StringType, "model": types.StringType, "key_id": types.StringType, "weight": types.Float64Type}
}

func targetType() types.ObjectType { return types.ObjectType{AttrTypes: targetAttrTypes()} }

func optString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// flattenRule is the state of rule r; prior (the plan or the prior state)
// keeps `fallbacks = []` as written (Bifrost omits an empty list).
func flattenRule(r *bifrost.RoutingRule, prior ruleModel) (ruleModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := ruleModel{
		ID: types.StringValue(r.ID), Name: types.StringValue(r.Name), Description: types.StringValue(r.Description),
		Enabled: types.BoolValue(r.Enabled), ChainRule: types.BoolValue(r.ChainRule), CelExpression: types.StringValue(r.CelExpression),
		Scope: types.StringValue(r.Scope), ScopeID: optString(r.ScopeIDValue()), Priority: types.Int64Value(r.Priority),
	}
	targets := make([]targetModel, 0, len(r.Targets))
	for _, t := range r.Targets {
		targets = append(targets, targetModel{Provider: optString(t.Provider), Model: optString(t.Model), KeyID: optString(t.KeyID), Weight: types.Float64Value(t.Weight)})
	}
	var d diag.Diagnostics
	m.Targets, d = types.ListValueFrom(context.Background(), targetType(), targets)
	diags.Append(d...)
	switch {
	case len(r.Fallbacks) > 0:
		m.Fallbacks, d = types.ListValueFrom(context.Background(), types.StringType, r.Fallbacks)
		diags.Append(d...)
	case !prior.Fallbacks.IsNull() && !prior.Fallbacks.IsUnknown() && len(prior.Fallbacks.Elements()) == 0:
		m.Fallbacks = types.ListValueMust(types.StringType, []attr.Value{})
	default:
		m.Fallbacks = types.ListNull(types.StringType)
	}
	return m, diags
}

// expandTargets is the targets of m.
func expandTargets(ctx context.Context, m ruleModel) ([]bifrost.RoutingTarget, diag.Diagnostics) {
	var tms []targetModel
	diags := m.Targets.ElementsAs(ctx, &tms, false)
	out := make([]bifrost.RoutingTarget, 0, len(tms))
	for _, t := range tms {
		out = append(out, bifrost.RoutingTarget{Provider: t.Provider.ValueString(), Model: t.Model.ValueString(), KeyID: t.KeyID.ValueString(), Weight: t.Weight.ValueFloat64()})
	}
	return out, diags
}

// expandFallbacks is the fallbacks of m ([] for none).
func expandFallbacks(ctx context.Context, m ruleModel) ([]string, diag.Diagnostics) {
	out := []string{}
	if m.Fallbacks.IsNull() {
		return out, nil
	}
	diags := m.Fallbacks.ElementsAs(ctx, &out, false)
	return out, diags
}

// expandCreate is the create request of plan.
func expandCreate(ctx context.Context, plan ruleModel) (bifrost.RoutingRuleCreate, diag.Diagnostics) {
	var diags diag.Diagnostics
	enabled, chain := plan.Enabled.ValueBool(), plan.ChainRule.ValueBool()
	in := bifrost.RoutingRuleCreate{
		Name: plan.Name.ValueString(), Description: plan.Description.ValueString(), Enabled: &enabled, ChainRule: &chain,
		CelExpression: plan.CelExpression.ValueString(), Scope: plan.Scope.ValueString(), Priority: plan.Priority.ValueInt64(),
	}
	if in.Scope != "global" {
		in.ScopeID = plan.ScopeID.ValueString()
	}
	var d diag.Diagnostics
	in.Targets, d = expandTargets(ctx, plan)
	diags.Append(d...)
	in.Fallbacks, d = expandFallbacks(ctx, plan)
	diags.Append(d...)
	return in, diags
}

// expandUpdate is the update that sets the rule to plan: every field but
// the scope is sent (so drift of any is set back); scope and scope_id only
// when they change (Bifrost v2 checks that the scope_id exists when they
// are sent).
func expandUpdate(ctx context.Context, plan, prior ruleModel) (bifrost.RoutingRuleUpdate, diag.Diagnostics) {
	var diags diag.Diagnostics
	name, desc, cel := plan.Name.ValueString(), plan.Description.ValueString(), plan.CelExpression.ValueString()
	enabled, chain, priority := plan.Enabled.ValueBool(), plan.ChainRule.ValueBool(), plan.Priority.ValueInt64()
	in := bifrost.RoutingRuleUpdate{Name: &name, Description: &desc, CelExpression: &cel, Enabled: &enabled, ChainRule: &chain, Priority: &priority}
	targets, d := expandTargets(ctx, plan)
	diags.Append(d...)
	in.Targets = &targets
	fallbacks, d := expandFallbacks(ctx, plan)
	diags.Append(d...)
	in.Fallbacks = &fallbacks
	if !plan.Scope.Equal(prior.Scope) || !plan.ScopeID.Equal(prior.ScopeID) {
		scope := plan.Scope.ValueString()
		in.Scope = &scope
		if scope != "global" {
			id := plan.ScopeID.ValueString()
			in.ScopeID = &id
		}
	}
	return in, diags
}

// matches reports whether rule r is exactly what the create in asks for
// (used to adopt a rule whose create's answer was lost).
func matches(r *bifrost.RoutingRule, in bifrost.RoutingRuleCreate) bool {
	fb := r.Fallbacks
	if fb == nil {
		fb = []string{}
	}
	want := in.Fallbacks
	if want == nil {
		want = []string{}
	}
	return r.Name == in.Name && r.Description == in.Description && r.CelExpression == in.CelExpression &&
		r.Enabled == (in.Enabled == nil || *in.Enabled) && r.ChainRule == (in.ChainRule != nil && *in.ChainRule) &&
		r.Scope == in.Scope && r.ScopeIDValue() == in.ScopeID && r.Priority == in.Priority &&
		bifrost.SameRoutingTargets(r.Targets, in.Targets) && equalStrings(fb, want)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
