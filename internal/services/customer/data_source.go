package customer

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/team"
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
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
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
	var found *bifrost.Customer
	if !cfg.ID.IsNull() {
		cu, err := d.client.GetCustomer(ctx, cfg.ID.ValueString())
		switch {
		case bifrost.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Customer not found", fmt.Sprintf("Bifrost has no customer with id %q.", cfg.ID.ValueString()))
			return
		case err != nil:
			resp.Diagnostics.AddError("Cannot read the customer", err.Error())
			return
		}
		found = cu
	} else {
		all, err := d.client.ListCustomers(ctx)
		if err != nil {
			resp.Diagnostics.AddError("Cannot list the customers", err.Error())
			return
		}
		var ids []string
		for i := range all {
			if all[i].Name == cfg.Name.ValueString() {
				found = &all[i]
				ids = append(ids, all[i].ID)
			}
		}
		switch {
		case found == nil:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Customer not found",
				fmt.Sprintf("Bifrost has no customer named %q (%s listed).", cfg.Name.ValueString(), bifrost.Plural(len(all), "customer")))
			return
		case len(ids) > 1:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Several customers have that name",
				fmt.Sprintf("%d customers are named %q (customer names are not unique in Bifrost v1.5.1): read the one you mean by id, one of %s.",
					len(ids), cfg.Name.ValueString(), strings.Join(ids, ", ")))
			return
		}
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
			"name_regex": schema.StringAttribute{Optional: true, Validators: []validator.String{team.RegexpValidator()},
				MarkdownDescription: "Keep only the customers whose name matches this regular expression ([RE2 syntax](https://golang.org/s/re2syntax), unanchored)."},
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
	all, err := d.client.ListCustomers(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the customers", err.Error())
		return
	}
	customers, err := filter(all, m.NameRegex.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", err.Error())
		return
	}
	elems := make([]attr.Value, 0, len(customers))
	m.IDs = make([]string, 0, len(customers))
	for i := range customers {
		dm, diags := flattenData(&customers[i])
		resp.Diagnostics.Append(diags...)
		o, diags := types.ObjectValueFrom(ctx, customerDataAttrTypes(), dm)
		resp.Diagnostics.Append(diags...)
		elems = append(elems, o)
		m.IDs = append(m.IDs, customers[i].ID)
	}
	var diags diag.Diagnostics
	m.Customers, diags = types.ListValue(types.ObjectType{AttrTypes: customerDataAttrTypes()}, elems)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// filter keeps the customers whose name matches nameRegex ("" for any).
func filter(all []bifrost.Customer, nameRegex string) ([]bifrost.Customer, error) {
	if nameRegex == "" {
		return all, nil
	}
	re, err := regexp.Compile(nameRegex)
	if err != nil {
		return nil, err
	}
	out := make([]bifrost.Customer, 0, len(all))
	for _, cu := range all {
		if re.MatchString(cu.Name) {
			out = append(out, cu)
		}
	}
	return out, nil
}
