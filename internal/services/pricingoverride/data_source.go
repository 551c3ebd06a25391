package pricingoverride

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

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

// dataFlattener flattens the overrides of one read.
func dataFlattener(ctx context.Context, _ *bifrost.Client, _ *diag.Diagnostics) func(*bifrost.PricingOverride) (overrideModel, diag.Diagnostics) {
	return func(o *bifrost.PricingOverride) (overrideModel, diag.Diagnostics) { return flattenOverride(ctx, o) }
}

// NewDataSource returns the bifrost_pricing_override data source.
func NewDataSource() datasource.DataSource {
	return &governance.OneDataSource[bifrost.PricingOverride, overrideModel]{
		Kind: kind, TypeSuffix: "_pricing_override", Attributes: dataAttributes, Flatten: dataFlattener,
		Description:     "Reads one Bifrost pricing override, by id or by name. Names are not unique: reading by a name several overrides have is an error that lists their ids.",
		IDDescription:   "The id of the override to read.",
		NameDescription: "The name of the override to read; exactly one override must have it.",
	}
}

// NewOverridesDataSource returns the bifrost_pricing_overrides data source.
func NewOverridesDataSource() datasource.DataSource {
	return &governance.ManyDataSource[bifrost.PricingOverride, overrideModel]{
		Kind: kind, TypeSuffix: "_pricing_overrides", Flatten: dataFlattener,
		Description: "Lists the Bifrost pricing overrides, optionally those of one scope kind or whose name matches a regular expression.",
		Filters: map[string]schema.StringAttribute{
			"scope_kind": {Optional: true, MarkdownDescription: "Only the overrides of this scope kind (e.g. `provider`)."},
		},
		Keep: func(f map[string]types.String) func(*bifrost.PricingOverride) bool {
			if f["scope_kind"].IsNull() {
				return nil
			}
			want := f["scope_kind"].ValueString()
			return func(o *bifrost.PricingOverride) bool { return o.ScopeKind == want }
		},
		List: "pricing_overrides", Selected: "overrides", ListDescription: "The selected overrides, in Bifrost's order.",
		Element: dataAttributes(
			schema.StringAttribute{Computed: true, MarkdownDescription: "The override's id."},
			schema.StringAttribute{Computed: true, MarkdownDescription: "The override's name."},
		),
	}
}
