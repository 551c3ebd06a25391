package team

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

var (
	_ datasource.DataSourceWithConfigure        = (*teamDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*teamDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*teamsDataSource)(nil)
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

func teamDataAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "name": types.StringType, "customer_id": types.StringType, "calendar_aligned": types.BoolType,
		"budgets":    types.ListType{ElemType: limits.BudgetUsageType()},
		"rate_limit": types.ObjectType{AttrTypes: limits.RateLimitUsageAttrTypes()},
	}
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

type teamDataSource struct {
	client *bifrost.Client
}

// NewDataSource returns the bifrost_team data source.
func NewDataSource() datasource.DataSource { return &teamDataSource{} }

func (d *teamDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team"
}

func (d *teamDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Bifrost team, by id or by name, with its budgets' and rate limit's usage.",
		Attributes: dataAttributes(
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The id of the team to read. Exactly one of `id` and `name` must be set."},
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The name of the team to read (team names are unique). Exactly one of `id` and `name` must be set."},
		),
	}
}

func (d *teamDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return governance.IDOrName()
}

func (d *teamDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *teamDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg teamDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, diags := kind.Find(ctx, d.client, cfg.ID, cfg.Name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, diags := flattenData(ctx, found, isV2(ctx, d.client, &resp.Diagnostics))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

type teamsDataSource struct {
	client *bifrost.Client
}

// NewTeamsDataSource returns the bifrost_teams data source.
func NewTeamsDataSource() datasource.DataSource { return &teamsDataSource{} }

type teamsDataModel struct {
	CustomerID types.String `tfsdk:"customer_id"`
	NameRegex  types.String `tfsdk:"name_regex"`
	Teams      types.List   `tfsdk:"teams"`
	IDs        []string     `tfsdk:"ids"`
}

func (d *teamsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_teams"
}

func (d *teamsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Bifrost teams, optionally those of one customer or whose name matches a regular expression, with usage.",
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{Optional: true, MarkdownDescription: "Keep only the teams of this customer."},
			"name_regex":  governance.NameRegexDataAttribute("teams"),
			"teams": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The selected teams, in Bifrost's order (creation order).",
				NestedObject: schema.NestedAttributeObject{Attributes: dataAttributes(
					schema.StringAttribute{Computed: true, MarkdownDescription: "The team's id."},
					schema.StringAttribute{Computed: true, MarkdownDescription: "The team's name."},
				)},
			},
			"ids": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The ids of the selected teams, in the order of `teams`."},
		},
	}
}

func (d *teamsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *teamsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m teamsDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	teams, diags := kind.Select(ctx, d.client, m.NameRegex.ValueString(), ofCustomer(m.CustomerID.ValueString()))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	v2 := isV2(ctx, d.client, &resp.Diagnostics)
	m.Teams, m.IDs, diags = governance.ObjectList(ctx, kind, teams, teamDataAttrTypes(), func(t *bifrost.Team) (teamDataModel, diag.Diagnostics) {
		return flattenData(ctx, t, v2)
	})
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// ofCustomer keeps the teams of customerID ("" for any).
func ofCustomer(customerID string) func(*bifrost.Team) bool {
	return func(t *bifrost.Team) bool { return customerID == "" || t.CustomerID == customerID }
}
