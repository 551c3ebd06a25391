package customer

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

// customerDataModel is a customer as the data sources show it, with usage.
type customerDataModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Budgets   types.List   `tfsdk:"budgets"`
	RateLimit types.Object `tfsdk:"rate_limit"`
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

// NewDataSource returns the bifrost_customer data source.
func NewDataSource() datasource.DataSource {
	return &governance.OneDataSource[bifrost.Customer, customerDataModel]{
		Kind: kind, TypeSuffix: "_customer", Attributes: dataAttributes, Flatten: governance.Plain(flattenData),
		Description: "Reads one Bifrost customer, by id or by name, with its budgets' and rate limit's usage. " +
			"Customer names are not unique in Bifrost v1.5.1: reading by a name several customers have is an error.",
		IDDescription:   "The id of the customer to read.",
		NameDescription: "The name of the customer to read; exactly one customer must have it.",
	}
}

// NewCustomersDataSource returns the bifrost_customers data source.
func NewCustomersDataSource() datasource.DataSource {
	return &governance.ManyDataSource[bifrost.Customer, customerDataModel]{
		Kind: kind, TypeSuffix: "_customers", Flatten: governance.Plain(flattenData),
		Description: "Lists the Bifrost customers, optionally those whose name matches a regular expression, with usage.",
		List:        "customers", Selected: "customers", ListDescription: "The selected customers, in Bifrost's order (creation order).",
		Element: dataAttributes(
			schema.StringAttribute{Computed: true, MarkdownDescription: "The customer's id."},
			schema.StringAttribute{Computed: true, MarkdownDescription: "The customer's name."},
		),
	}
}
