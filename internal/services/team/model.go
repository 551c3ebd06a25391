package team

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

// teamModel is the state of a bifrost_team: only what the user configures
// (no usage figures).
type teamModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	CustomerID      types.String `tfsdk:"customer_id"`
	Budgets         types.Set    `tfsdk:"budgets"`
	RateLimit       types.Object `tfsdk:"rate_limit"`
	CalendarAligned types.Bool   `tfsdk:"calendar_aligned"`
}

// flattenTeam is the state of team t; prior (the plan or the prior state)
// keeps `budgets = []` as written and, on v1.5.1, calendar_aligned of a
// team without budgets (the server has nowhere to keep it).
func flattenTeam(t *bifrost.Team, prior teamModel, v2 bool) (teamModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := teamModel{ID: types.StringValue(t.ID), Name: types.StringValue(t.Name), CustomerID: types.StringNull()}
	if t.CustomerID != "" {
		m.CustomerID = types.StringValue(t.CustomerID)
	}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgets(t.Budgets, prior.Budgets)
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimit(t.RateLimit)
	diags.Append(d...)
	m.CalendarAligned = types.BoolValue(calendarAligned(t, prior.CalendarAligned, v2))
	return m, diags
}

// calendarAligned is the team's flag: v2's own, or v1.5.1's budgets' (any
// aligned budget); a v1.5.1 team without budgets keeps the prior value.
func calendarAligned(t *bifrost.Team, prior types.Bool, v2 bool) bool {
	if v2 {
		return t.CalendarAligned
	}
	if len(t.Budgets) == 0 {
		return prior.ValueBool()
	}
	for _, b := range t.Budgets {
		if b.CalendarAligned {
			return true
		}
	}
	return false
}

// expandCreate is the create request of plan.
func expandCreate(ctx context.Context, plan teamModel, v2 bool) (bifrost.TeamCreate, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := bifrost.TeamCreate{Name: plan.Name.ValueString(), CustomerID: plan.CustomerID.ValueString()}
	aligned := plan.CalendarAligned.ValueBool()
	perBudget := &aligned
	if v2 {
		perBudget = nil
		in.CalendarAligned = &aligned
	}
	var d diag.Diagnostics
	in.Budgets, d = limits.ExpandBudgets(ctx, plan.Budgets, perBudget)
	diags.Append(d...)
	in.RateLimit, d = limits.ExpandRateLimit(ctx, plan.RateLimit)
	diags.Append(d...)
	return in, diags
}

// expandUpdate is the update request that sets the team to plan: name,
// the whole budget list (matched by reset_duration, so kept budgets keep
// their usage), the rate limit (a full replacement; {} removes it when the
// prior state had one). customer_id is never sent: it replaces the team.
func expandUpdate(ctx context.Context, plan, prior teamModel, v2 bool) (bifrost.TeamUpdate, diag.Diagnostics) {
	var diags diag.Diagnostics
	name := plan.Name.ValueString()
	in := bifrost.TeamUpdate{Name: &name}
	aligned := plan.CalendarAligned.ValueBool()
	perBudget := &aligned
	if v2 {
		perBudget = nil
		in.CalendarAligned = &aligned
	}
	var d diag.Diagnostics
	in.Budgets, d = limits.ExpandBudgetsUpdate(ctx, plan.Budgets, perBudget)
	diags.Append(d...)
	in.RateLimit, d = limits.ExpandRateLimitUpdate(ctx, plan.RateLimit, !prior.RateLimit.IsNull())
	diags.Append(d...)
	return in, diags
}
