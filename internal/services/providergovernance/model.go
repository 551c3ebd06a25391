package providergovernance

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

// govModel is the state of a bifrost_provider_governance: only what the
// user configures (no usage figures).
type govModel struct {
	ID        types.String `tfsdk:"id"`
	Provider  types.String `tfsdk:"provider_name"`
	Budgets   types.Set    `tfsdk:"budgets"`
	RateLimit types.Object `tfsdk:"rate_limit"`
}

type identityModel struct {
	Provider types.String `tfsdk:"provider_name"`
}

// flatten is the state of the limits g of provider (nil: none); prior
// keeps `budgets = []` as written.
func flatten(provider string, g *bifrost.ProviderGovernance, prior govModel) (govModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if g == nil {
		g = &bifrost.ProviderGovernance{Provider: provider}
	}
	m := govModel{ID: types.StringValue(provider), Provider: types.StringValue(provider)}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgets(g.AllBudgets(), prior.Budgets)
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimit(g.RateLimit)
	diags.Append(d...)
	return m, diags
}

// expandPut is the PUT that sets the provider's limits to plan over cur
// (what the server has: the prior state, or the server's limits on a
// create): v2 the whole budget list (matched by reset_duration), v1.5.1 the
// one budget patched with both fields ({} removes it); the rate limit
// replaced ({} removes it).
func expandPut(ctx context.Context, plan, cur govModel, v2 bool) (bifrost.ProviderGovernanceUpdate, diag.Diagnostics) {
	var diags diag.Diagnostics
	var in bifrost.ProviderGovernanceUpdate
	var d diag.Diagnostics
	in.Budgets, in.Budget, d = limits.ExpandVersionedBudgetsUpdate(ctx, plan.Budgets, cur.Budgets, v2)
	diags.Append(d...)
	in.RateLimit, d = limits.ExpandRateLimitUpdate(ctx, plan.RateLimit, !cur.RateLimit.IsNull())
	diags.Append(d...)
	return in, diags
}
