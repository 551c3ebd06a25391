package providergovernance

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

var _ datasource.DataSourceWithConfigure = (*govDataSource)(nil)

type govDataModel struct {
	Provider  types.String `tfsdk:"provider_name"`
	Budgets   types.List   `tfsdk:"budgets"`
	RateLimit types.Object `tfsdk:"rate_limit"`
}

type govDataSource struct {
	governance.DataSourceBase
}

// NewDataSource returns the bifrost_provider_governance data source.
func NewDataSource() datasource.DataSource {
	return &govDataSource{governance.DataSourceBase{TypeSuffix: "_provider_governance"}}
}

func (d *govDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the budgets and rate limit of one Bifrost provider, with their usage. A configured provider without " +
			"limits reads as no budgets and a null rate limit; a provider Bifrost does not have is an error.",
		Attributes: map[string]schema.Attribute{
			"provider_name": schema.StringAttribute{Required: true, MarkdownDescription: "The provider's name."},
			"budgets": limits.DataSourceBudgetsAttribute("The provider's budgets, with their usage (Bifrost v1.5.1: at most one), " +
				"in Bifrost's order."),
			"rate_limit": limits.DataSourceRateLimitAttribute("The provider's rate limit, with its usage; null when none."),
		},
	}
}

func (d *govDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m govDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	name := m.Provider.ValueString()
	got, err := d.Client.GetProviderGovernance(ctx, name)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the provider's limits", err.Error())
		return
	}
	if got == nil {
		// No limits: tell an unknown provider from one without limits.
		_, err := d.Client.GetProvider(ctx, name)
		switch {
		case bifrost.IsNotFound(err):
			resp.Diagnostics.AddAttributeError(path.Root("provider_name"), "Provider not found", fmt.Sprintf("Bifrost has no provider named %q.", name))
			return
		case err != nil:
			resp.Diagnostics.AddError("Cannot read the provider", err.Error())
			return
		}
		got = &bifrost.ProviderGovernance{Provider: name}
	}
	var diags diag.Diagnostics
	m.Budgets, diags = limits.FlattenBudgetsUsage(got.AllBudgets())
	resp.Diagnostics.Append(diags...)
	m.RateLimit, diags = limits.FlattenRateLimitUsage(got.RateLimit)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
