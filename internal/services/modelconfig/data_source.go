package modelconfig

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

var (
	_ datasource.DataSourceWithConfigure        = (*modelConfigDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*modelConfigDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*modelConfigsDataSource)(nil)
)

// dataModel is a model config as the data sources show it, with usage.
type dataModel struct {
	ID        types.String `tfsdk:"id"`
	ModelName types.String `tfsdk:"model_name"`
	Provider  types.String `tfsdk:"provider_name"`
	Budgets   types.List   `tfsdk:"budgets"`
	RateLimit types.Object `tfsdk:"rate_limit"`
}

func dataAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "model_name": types.StringType, "provider_name": types.StringType,
		"budgets":    types.ListType{ElemType: limits.BudgetUsageType()},
		"rate_limit": types.ObjectType{AttrTypes: limits.RateLimitUsageAttrTypes()},
	}
}

func dataAttributes(id, model, provider schema.StringAttribute) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": id, "model_name": model, "provider_name": provider,
		"budgets": limits.DataSourceBudgetsAttribute("The model config's budgets, with their usage (Bifrost v1.5.1: at most one), " +
			"in Bifrost's order."),
		"rate_limit": limits.DataSourceRateLimitAttribute("The model config's rate limit, with its usage; null when none."),
	}
}

func flattenData(mc *bifrost.ModelConfig) (dataModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := dataModel{ID: types.StringValue(mc.ID), ModelName: types.StringValue(mc.ModelName), Provider: types.StringPointerValue(mc.Provider)}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgetsUsage(mc.AllBudgets())
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimitUsage(mc.RateLimit)
	diags.Append(d...)
	return m, diags
}

type modelConfigDataSource struct {
	governance.DataSourceBase
}

// NewDataSource returns the bifrost_model_config data source.
func NewDataSource() datasource.DataSource {
	return &modelConfigDataSource{governance.DataSourceBase{TypeSuffix: "_model_config"}}
}

func (d *modelConfigDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Bifrost model config, by id or by its model and provider, with its budgets' and rate limit's usage.",
		Attributes: dataAttributes(
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The id of the model config to read. Exactly one of `id` and `model_name` must be set."},
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The model of the model config to read, with `provider_name`. Exactly one of `id` and `model_name` must be set."},
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "With `model_name`: the provider of the model config to read; " +
				"leave it out for the model config of all providers. Null in the result for a model config of all providers."},
		),
	}
}

func (d *modelConfigDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("model_name")),
		datasourcevalidator.Conflicting(path.MatchRoot("id"), path.MatchRoot("provider_name")),
	}
}

func (d *modelConfigDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg dataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var found *bifrost.ModelConfig
	if !cfg.ID.IsNull() {
		var diags diag.Diagnostics
		found, diags = kind.Find(ctx, d.Client, cfg.ID, types.StringNull())
		resp.Diagnostics.Append(diags...)
	} else {
		all, diags := kind.ListAll(ctx, d.Client)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		model, provider := cfg.ModelName.ValueString(), cfg.Provider.ValueString()
		if found = byKey(all, model, provider); found == nil {
			resp.Diagnostics.AddAttributeError(path.Root("model_name"), "Model config not found",
				fmt.Sprintf("Bifrost has no model config for %s (%s listed).", describe(model, provider), bifrost.Plural(len(all), "model config")))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	m, diags := flattenData(found)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

type modelConfigsDataSource struct {
	governance.DataSourceBase
}

// NewModelConfigsDataSource returns the bifrost_model_configs data source.
func NewModelConfigsDataSource() datasource.DataSource {
	return &modelConfigsDataSource{governance.DataSourceBase{TypeSuffix: "_model_configs"}}
}

type listDataModel struct {
	ModelNameRegex types.String `tfsdk:"model_name_regex"`
	Provider       types.String `tfsdk:"provider_name"`
	ModelConfigs   types.List   `tfsdk:"model_configs"`
	IDs            []string     `tfsdk:"ids"`
}

func (d *modelConfigsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Bifrost model configs (model-level limits), optionally of one provider or whose model matches a " +
			"regular expression, with usage. Provider-level limits (`bifrost_provider_governance`) and, on Bifrost ≥ 2.0, virtual key limits, " +
			"which Bifrost ≥ 2.0 keeps in the same list, are left out.",
		Attributes: map[string]schema.Attribute{
			"model_name_regex": schema.StringAttribute{
				Optional: true, Validators: []validator.String{governance.RegexpValidator()},
				MarkdownDescription: "Keep only the model configs whose model matches this regular expression ([RE2 syntax](https://golang.org/s/re2syntax), unanchored).",
			},
			"provider_name": schema.StringAttribute{Optional: true, MarkdownDescription: "Keep only the model configs of this provider."},
			"model_configs": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The selected model configs, in Bifrost's order (creation order).",
				NestedObject: schema.NestedAttributeObject{Attributes: dataAttributes(
					schema.StringAttribute{Computed: true, MarkdownDescription: "The model config's id."},
					schema.StringAttribute{Computed: true, MarkdownDescription: "The model config's model."},
					schema.StringAttribute{Computed: true, MarkdownDescription: "The model config's provider; null for all providers."},
				)},
			},
			"ids": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The ids of the selected model configs, in the order of `model_configs`."},
		},
	}
}

func (d *modelConfigsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m listDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var keep func(*bifrost.ModelConfig) bool
	if !m.Provider.IsNull() {
		provider := m.Provider.ValueString()
		keep = func(mc *bifrost.ModelConfig) bool { return mc.ProviderName() == provider }
	}
	all, diags := kind.ListAll(ctx, d.Client)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	selected, err := kind.Filter(all, m.ModelNameRegex.ValueString(), keep)
	if err != nil {
		// The validator refuses an invalid expression first.
		resp.Diagnostics.AddAttributeError(path.Root("model_name_regex"), "Invalid regular expression", err.Error())
		return
	}
	m.ModelConfigs, m.IDs, diags = governance.ObjectList(ctx, kind, selected, dataAttrTypes(), flattenData)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
