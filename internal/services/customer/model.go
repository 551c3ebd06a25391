package customer

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

// customerModel is the state of a bifrost_customer: only what the user
// configures (no usage figures).
type customerModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Budgets   types.Set    `tfsdk:"budgets"`
	RateLimit types.Object `tfsdk:"rate_limit"`
}

// flattenCustomer is the state of cu; prior keeps `budgets = []` as written.
func flattenCustomer(cu *bifrost.Customer, prior customerModel) (customerModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := customerModel{ID: types.StringValue(cu.ID), Name: types.StringValue(cu.Name)}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgets(cu.AllBudgets(), prior.Budgets)
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimit(cu.RateLimit)
	diags.Append(d...)
	return m, diags
}

// expandCreate is the create request of plan: v1.5.1 takes one budget
// (ModifyPlan refuses more), v2 a list.
func expandCreate(ctx context.Context, plan customerModel, v2 bool) (bifrost.CustomerCreate, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := bifrost.CustomerCreate{Name: plan.Name.ValueString()}
	var d diag.Diagnostics
	in.Budgets, in.Budget, d = limits.ExpandVersionedBudgets(ctx, plan.Budgets, v2)
	diags.Append(d...)
	in.RateLimit, d = limits.ExpandRateLimit(ctx, plan.RateLimit)
	diags.Append(d...)
	return in, diags
}

// expandUpdate is the update request that sets the customer to plan. v2:
// the whole budget list, matched by reset_duration (kept budgets keep their
// usage). v1.5.1: the single budget patched (both fields, so it keeps its
// id and usage), {} to remove it, nothing when there is none either side.
// The rate limit is replaced as a whole; {} removes it.
func expandUpdate(ctx context.Context, plan, prior customerModel, v2 bool) (bifrost.CustomerUpdate, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := plan.Name.ValueString()
	in := bifrost.CustomerUpdate{Name: &name}
	var d diag.Diagnostics
	in.Budgets, in.Budget, d = limits.ExpandVersionedBudgetsUpdate(ctx, plan.Budgets, prior.Budgets, v2)
	diags.Append(d...)
	in.RateLimit, d = limits.ExpandRateLimitUpdate(ctx, plan.RateLimit, !prior.RateLimit.IsNull())
	diags.Append(d...)
	return in, diags
}
