package modelconfig

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

// modelConfigModel is the state of a bifrost_model_config: only what the
// user configures (no usage figures).
type modelConfigModel struct {
	ID        types.String `tfsdk:"id"`
	ModelName types.String `tfsdk:"model_name"`
	Provider  types.String `tfsdk:"provider_name"`
	Budgets   types.Set    `tfsdk:"budgets"`
	RateLimit types.Object `tfsdk:"rate_limit"`
}

// identityModel is the resource identity: the natural key.
type identityModel struct {
	ModelName types.String `tfsdk:"model_name"`
	Provider  types.String `tfsdk:"provider_name"`
}

// flatten is the state of mc; prior keeps `budgets = []` as written.
func flatten(mc *bifrost.ModelConfig, prior modelConfigModel) (modelConfigModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := modelConfigModel{ID: types.StringValue(mc.ID), ModelName: types.StringValue(mc.ModelName), Provider: types.StringPointerValue(mc.Provider)}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgets(mc.AllBudgets(), prior.Budgets)
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimit(mc.RateLimit)
	diags.Append(d...)
	return m, diags
}

// expandCreate is the create request of plan: v1.5.1 takes one budget
// (ModifyPlan refuses more), v2 a list (it ignores a singular budget).
func expandCreate(ctx context.Context, plan modelConfigModel, v2 bool) (bifrost.ModelConfigCreate, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := bifrost.ModelConfigCreate{ModelName: plan.ModelName.ValueString(), Provider: plan.Provider.ValueStringPointer()}
	var d diag.Diagnostics
	in.Budgets, in.Budget, d = limits.ExpandVersionedBudgets(ctx, plan.Budgets, v2)
	diags.Append(d...)
	in.RateLimit, d = limits.ExpandRateLimit(ctx, plan.RateLimit)
	diags.Append(d...)
	return in, diags
}

// expandUpdate is the update request that sets the model config to plan:
// model and provider (a removed provider replaces it, see the schema), the
// budgets (v2: the whole list, matched by reset_duration; v1.5.1: the one
// budget patched with both fields, {} to remove it), the rate limit
// replaced ({} removes it).
func expandUpdate(ctx context.Context, plan, prior modelConfigModel, v2 bool) (bifrost.ModelConfigUpdate, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := plan.ModelName.ValueString()
	in := bifrost.ModelConfigUpdate{ModelName: &name, Provider: plan.Provider.ValueStringPointer()}
	var d diag.Diagnostics
	in.Budgets, in.Budget, d = limits.ExpandVersionedBudgetsUpdate(ctx, plan.Budgets, prior.Budgets, v2)
	diags.Append(d...)
	in.RateLimit, d = limits.ExpandRateLimitUpdate(ctx, plan.RateLimit, !prior.RateLimit.IsNull())
	diags.Append(d...)
	return in, diags
}
