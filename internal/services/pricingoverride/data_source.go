package pricingoverride

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
)

var (
	_ datasource.DataSourceWithConfigure        = (*overrideDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*overrideDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*overridesDataSource)(nil)
)

func overrideAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "name": types.StringType, "scope_kind": types.StringType,
		"virtual_key_id": types.StringType, "provider_id": types.StringType, "provider_key_id": types.StringType,
		"match_type": types.StringType, "pattern": types.StringType,
		"request_types": types.SetType{ElemType: types.StringType},
		"patch":         types.ObjectType{AttrTypes: patchAttrTypes()},
	}
}

// dataAttributes are the attributes of an override in the data sources:
// those of the resource, computed.
func dataAttributes(id, name schema.StringAttribute) map[string]schema.Attribute {
	patchAttrs := make(map[string]schema.Attribute, len(bifrost.PricingOptionFields))
	for _, f := range bifrost.PricingOptionFields {
		patchAttrs[f] = schema.Float64Attribute{Computed: true, MarkdownDescription: patchDescription(f)}
	}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	return map[string]schema.Attribute{
		"id":              id,
		"name":            name,
		"scope_kind":      computed("Where the override applies (`global`, `provider`, `provider_key`, `virtual_key`, `virtual_key_provider`, `virtual_key_provider_key`)."),
		"virtual_key_id":  computed("The virtual key's id; null when the scope kind does not use it."),
		"provider_id":     computed("The provider's name; null when the scope kind does not use it."),
		"provider_key_id": computed("The provider key's id; null when the scope kind does not use it."),
		"match_type":      computed("`exact` or `wildcard`."),
		"pattern":         computed("The model name or wildcard prefix the override matches."),
		"request_types":   schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The request types the prices apply to."},
		"patch":           schema.SingleNestedAttribute{Computed: true, Attributes: patchAttrs, MarkdownDescription: "The prices that replace the model catalog's; null prices are the catalog's."},
	}
}

type overrideDataSource struct {
	client *bifrost.Client
}

// NewDataSource returns the bifrost_pricing_override data source.
func NewDataSource() datasource.DataSource { return &overrideDataSource{} }

func (d *overrideDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pricing_override"
}

func (d *overrideDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Bifrost pricing override, by id or by name. Names are not unique: reading by a name several overrides have is an error that lists their ids.",
		Attributes: dataAttributes(
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The id of the override to read. Exactly one of `id` and `name` must be set."},
			schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "The name of the override to read; exactly one override must have it. Exactly one of `id` and `name` must be set."},
		),
	}
}

func (d *overrideDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return governance.IDOrName()
}

func (d *overrideDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *overrideDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg overrideModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	found, diags := kind.Find(ctx, d.client, cfg.ID, cfg.Name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, diags := flattenOverride(ctx, found)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

type overridesDataSource struct {
	client *bifrost.Client
}

// NewOverridesDataSource returns the bifrost_pricing_overrides data source.
func NewOverridesDataSource() datasource.DataSource { return &overridesDataSource{} }

type overridesDataModel struct {
	NameRegex        types.String `tfsdk:"name_regex"`
	ScopeKind        types.String `tfsdk:"scope_kind"`
	PricingOverrides types.List   `tfsdk:"pricing_overrides"`
	IDs              []string     `tfsdk:"ids"`
}

func (d *overridesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_pricing_overrides"
}

func (d *overridesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the Bifrost pricing overrides, optionally those of one scope kind or whose name matches a regular expression.",
		Attributes: map[string]schema.Attribute{
			"name_regex": governance.NameRegexDataAttribute("pricing overrides"),
			"scope_kind": schema.StringAttribute{Optional: true, MarkdownDescription: "Only the overrides of this scope kind (e.g. `provider`)."},
			"pricing_overrides": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The selected overrides, in Bifrost's order.",
				NestedObject: schema.NestedAttributeObject{Attributes: dataAttributes(
					schema.StringAttribute{Computed: true, MarkdownDescription: "The override's id."},
					schema.StringAttribute{Computed: true, MarkdownDescription: "The override's name."},
				)},
			},
			"ids": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The ids of the selected overrides, in the order of `pricing_overrides`."},
		},
	}
}

func (d *overridesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *overridesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m overridesDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var keep func(*bifrost.PricingOverride) bool
	if !m.ScopeKind.IsNull() {
		want := m.ScopeKind.ValueString()
		keep = func(o *bifrost.PricingOverride) bool { return o.ScopeKind == want }
	}
	overrides, diags := kind.Select(ctx, d.client, m.NameRegex.ValueString(), keep)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.PricingOverrides, m.IDs, diags = governance.ObjectList(ctx, kind, overrides, overrideAttrTypes(),
		func(o *bifrost.PricingOverride) (overrideModel, diag.Diagnostics) { return flattenOverride(ctx, o) })
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
