package team

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

// teamDataModel is a team as the data sources show it, with usage.
type teamDataModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	CustomerID      types.String `tfsdk:"customer_id"`
	CalendarAligned types.Bool   `tfsdk:"calendar_aligned"`
	Budgets         types.List   `tfsdk:"budgets"`
	RateLimit       types.Object `tfsdk:"rate_limit"`
}

// dataAttributes are the attributes of a team in the data sources; id and
// name are given (they differ between the single and the plural one).
func dataAttributes(id, name schema.StringAttribute) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":          id,
		"name":        name,
		"customer_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The id of the customer that owns the team, if any."},
		"calendar_aligned": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether budget resets snap to calendar boundaries " +
			"(Bifrost v1.5.1: true when any budget has the flag)."},
		"budgets":    limits.DataSourceBudgetsAttribute("The team's budgets, with their usage, in Bifrost's order."),
		"rate_limit": limits.DataSourceRateLimitAttribute("The team's rate limit, with its usage; null when none."),
	}
}

func flattenData(ctx context.Context, t *bifrost.Team, v2 bool) (teamDataModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := teamDataModel{
		ID: types.StringValue(t.ID), Name: types.StringValue(t.Name), CustomerID: types.StringNull(),
		CalendarAligned: types.BoolValue(calendarAligned(t, types.BoolValue(false), v2)),
	}
	if t.CustomerID != "" {
		m.CustomerID = types.StringValue(t.CustomerID)
	}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgetsUsage(t.Budgets)
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimitUsage(t.RateLimit)
	diags.Append(d...)
	return m, diags
}

// dataFlattener flattens the teams of one read, as the server's version asks.
func dataFlattener(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics) func(*bifrost.Team) (teamDataModel, diag.Diagnostics) {
	v2 := isV2(ctx, c, diags)
	return func(t *bifrost.Team) (teamDataModel, diag.Diagnostics) { return flattenData(ctx, t, v2) }
}

// NewDataSource returns the bifrost_team data source.
func NewDataSource() datasource.DataSource {
	return &governance.OneDataSource[bifrost.Team, teamDataModel]{
		Kind: kind, TypeSuffix: "_team", Attributes: dataAttributes, Flatten: dataFlattener,
		Description:     "Reads one Bifrost team, by id or by name, with its budgets' and rate limit's usage.",
		IDDescription:   "The id of the team to read.",
		NameDescription: "The name of the team to read (team names are unique).",
	}
}

// NewTeamsDataSource returns the bifrost_teams data source.
func NewTeamsDataSource() datasource.DataSource {
	return &governance.ManyDataSource[bifrost.Team, teamDataModel]{
		Kind: kind, TypeSuffix: "_teams", Flatten: dataFlattener,
		Description: "Lists the Bifrost teams, optionally those of one customer or whose name matches a regular expression, with usage.",
		Filters: map[string]schema.StringAttribute{
			"customer_id": {Optional: true, MarkdownDescription: "Keep only the teams of this customer."},
		},
		Keep: func(f map[string]types.String) func(*bifrost.Team) bool {
			return ofCustomer(f["customer_id"].ValueString())
		},
		List: "teams", Selected: "teams", ListDescription: "The selected teams, in Bifrost's order (creation order).",
		Element: dataAttributes(
			schema.StringAttribute{Computed: true, MarkdownDescription: "The team's id."},
			schema.StringAttribute{Computed: true, MarkdownDescription: "The team's name."},
		),
	}
}

// ofCustomer keeps the teams of customerID ("" for any).
func ofCustomer(customerID string) func(*bifrost.Team) bool {
	return func(t *bifrost.Team) bool { return customerID == "" || t.CustomerID == customerID }
}
