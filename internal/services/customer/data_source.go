package customer

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
	_ datasource.DataSourceWithConfigure        = (*customerDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*customerDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*customersDataSource)(nil)
)

// customerDataModel is a customer as the data sources show it, with usage.
type customerDataModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Budgets   types.List   `tfsdk:"budgets"`
	RateLimit types.Object `tfsdk:"rate_limit"`
}

func customerDataAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "name": types.StringType,
		"budgets":    types.ListType{ElemType: limits.BudgetUsageType()},
		"rate_limit": types.ObjectType{AttrTypes: limits.RateLimitUsageAttrTypes()},
	}
}

func dataAttributes(id, name schema.StringAttribute) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":   id,
		"name": name,
		"budgets": limits.DataSourceBudgetsAttribute("The customer's budgets, with their usage (Bifrost v1.5.1: at most one), " +
			"in Bifrost's order."),
		"rate_limit": limits.DataSourceRateLimitAttribute("The customer's rate limit, with its usage; null when none."),
	}
}

func flattenData(cu *bifrost.Customer) (customerDataModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := customerDataModel{ID: types.StringValue(cu.ID), Name: types.StringValue(cu.Name)}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgetsUsage(cu.AllBudgets())
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimitUsage(cu.RateLimit)
	diags.Append(d...)
	return m, diags
}

type customerDataSource struct {
	client *bifrost.Client
}

// NewDataSource returns the bifrost_customer data source.
func NewDataSource() datasource.DataSource { return &customerDataSource{} }

func (d *customerDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (d *customerDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Bifrost customer, by id or by name, with its budgets' and rate limit's usage. " +
			"Customer names are not unique in Bifrost v1.5.1: reading by a name several customers have is an error.",
		Attributes: dataAttributes(
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The id of the customer to read. Exactly one of `id` and `name` must be set."},
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The name of the customer to read; exactly one customer must have it. Exactly one of `id` and `name` must be set."},
		),
	}
}

func (d *customerDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return governance.IDOrName()
}

func (d *customerDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *customerDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg customerDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, diags := kind.Find(ctx, d.client, cfg.ID, cfg.Name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, diags := flattenData(found)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

type customersDataSource struct {
	client *bifrost.Client
}

// NewCustomersDataSource returns the bifrost_customers data source.
func NewCustomersDataSource() datasource.DataSource { return &customersDataSource{} }

type customersDataModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
	Customers types.List   `tfsdk:"customers"`
	IDs       []string     `tfsdk:"ids"`
}

func (d *customersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customers"
}

func (d *customersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Bifrost customers, optionally those whose name matches a regular expression, with usage.",
		Attributes: map[string]schema.Attribute{
			"name_regex": governance.NameRegexDataAttribute("customers"),
			"customers": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The selected customers, in Bifrost's order (creation order).",
				NestedObject: schema.NestedAttributeObject{Attributes: dataAttributes(
					schema.StringAttribute{Computed: true, MarkdownDescription: "The customer's id."},
					schema.StringAttribute{Computed: true, MarkdownDescription: "The customer's name."},
				)},
			},
			"ids": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The ids of the selected customers, in the order of `customers`."},
		},
	}
}

func (d *customersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *customersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m customersDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	customers, diags := kind.Select(ctx, d.client, m.NameRegex.ValueString(), nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Customers, m.IDs, diags = governance.ObjectList(ctx, kind, customers, customerDataAttrTypes(), flattenData)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
