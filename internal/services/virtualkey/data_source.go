package virtualkey

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalue"
)

var (
	_ datasource.DataSourceWithConfigure = (*vksDataSource)(nil)
)

// vkDataModel is a virtual key as the data sources show it: without its
// value (the ephemeral resource reads it), with usage figures.
type vkDataModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Description     types.String `tfsdk:"description"`
	IsActive        types.Bool   `tfsdk:"is_active"`
	TeamID          types.String `tfsdk:"team_id"`
	CustomerID      types.String `tfsdk:"customer_id"`
	CalendarAligned types.Bool   `tfsdk:"calendar_aligned"`
	ExpiresAt       types.String `tfsdk:"expires_at"`
	CreatedAt       types.String `tfsdk:"created_at"`
	UpdatedAt       types.String `tfsdk:"updated_at"`
	Budgets         types.List   `tfsdk:"budgets"`
	RateLimit       types.Object `tfsdk:"rate_limit"`
	ProviderConfigs types.List   `tfsdk:"provider_configs"`
	MCPConfigs      types.List   `tfsdk:"mcp_configs"`
}

func dataMCPAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"mcp_client_name": types.StringType, "config_id": types.Int64Type,
		"tools_to_execute": types.SetType{ElemType: types.StringType},
	}
}

func dataPCAttrTypes() map[string]attr.Type {
	strs := types.SetType{ElemType: types.StringType}
	return map[string]attr.Type{
		"provider": types.StringType, "config_id": types.Int64Type, "weight": types.Float64Type,
		"allowed_models": strs, "key_ids": strs, "blacklisted_models": strs,
		"budgets":    types.ListType{ElemType: limits.BudgetUsageType()},
		"rate_limit": types.ObjectType{AttrTypes: limits.RateLimitUsageAttrTypes()},
	}
}

func dataAttributes(lookup map[string]schema.Attribute) map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{
		"description":      schema.StringAttribute{Computed: true, MarkdownDescription: "The description."},
		"is_active":        schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether Bifrost accepts the key."},
		"team_id":          schema.StringAttribute{Computed: true, MarkdownDescription: "The owning team's id, if any."},
		"customer_id":      schema.StringAttribute{Computed: true, MarkdownDescription: "The owning customer's id, if any."},
		"calendar_aligned": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether budget resets snap to calendar boundaries."},
		"expires_at":       schema.StringAttribute{Computed: true, MarkdownDescription: "When the key expires (Bifrost ≥ 2.0), null if never."},
		"created_at":       schema.StringAttribute{Computed: true, MarkdownDescription: "When the key was created (RFC 3339)."},
		"updated_at":       schema.StringAttribute{Computed: true, MarkdownDescription: "When the key was last changed (RFC 3339)."},
		"budgets":          limits.DataSourceBudgetsAttribute("The key's budgets, with their usage."),
		"rate_limit":       limits.DataSourceRateLimitAttribute("The key's rate limit, with its usage."),
		"provider_configs": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The key's provider configs, in Bifrost's order.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"provider":           schema.StringAttribute{Computed: true, MarkdownDescription: "The provider name."},
				"config_id":          schema.Int64Attribute{Computed: true, MarkdownDescription: "The provider config's id."},
				"weight":             schema.Float64Attribute{Computed: true, MarkdownDescription: "The weight; null: excluded from weighted routing."},
				"allowed_models":     schema.SetAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "Allowed models (`[\"*\"]`: all)."},
				"key_ids":            schema.SetAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "Allowed provider key ids (`[\"*\"]`: all)."},
				"blacklisted_models": schema.SetAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "Denied models (Bifrost ≥ 2.0)."},
				"budgets":            limits.DataSourceBudgetsAttribute("The provider config's budgets, with their usage."),
				"rate_limit":         limits.DataSourceRateLimitAttribute("The provider config's rate limit, with its usage."),
			}},
		},
		"mcp_configs": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The MCP clients whose tools the key may execute, in Bifrost's order.",
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"mcp_client_name":  schema.StringAttribute{Computed: true, MarkdownDescription: "The MCP client's name."},
				"config_id":        schema.Int64Attribute{Computed: true, MarkdownDescription: "The MCP config's id."},
				"tools_to_execute": schema.SetAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "The tools the key may execute (`[\"*\"]`: all)."},
			}},
		},
	}
	for n, a := range lookup {
		attrs[n] = a
	}
	return attrs
}

func flattenData(got *bifrost.VirtualKey) (vkDataModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := vkDataModel{
		ID: types.StringValue(got.ID), Name: types.StringValue(got.Name), Description: types.StringValue(got.Description),
		IsActive: types.BoolValue(got.IsActive), TeamID: nonEmpty(got.TeamID), CustomerID: nonEmpty(got.CustomerID),
		CalendarAligned: types.BoolValue(got.CalendarAligned), ExpiresAt: nonEmpty(got.ExpiresAt),
		CreatedAt: nonEmpty(got.CreatedAt), UpdatedAt: nonEmpty(got.UpdatedAt),
	}
	var d diag.Diagnostics
	m.Budgets, d = limits.FlattenBudgetsUsage(got.Budgets)
	diags.Append(d...)
	m.RateLimit, d = limits.FlattenRateLimitUsage(got.RateLimit)
	diags.Append(d...)
	elems := make([]attr.Value, 0, len(got.ProviderConfigs))
	for i := range got.ProviderConfigs {
		pc := &got.ProviderConfigs[i]
		budgets, d := limits.FlattenBudgetsUsage(pc.Budgets)
		diags.Append(d...)
		rl, d := limits.FlattenRateLimitUsage(pc.RateLimit)
		diags.Append(d...)
		o, d := types.ObjectValue(dataPCAttrTypes(), map[string]attr.Value{
			"provider": types.StringValue(pc.Provider), "config_id": configID(pc.ID),
			"weight": types.Float64PointerValue(pc.Weight), "allowed_models": tfvalue.StringSet(pc.AllowedModels, &diags),
			"key_ids": tfvalue.StringSet(pc.KeyIDs(), &diags), "blacklisted_models": tfvalue.StringSet(pc.BlacklistedModels, &diags),
			"budgets": budgets, "rate_limit": rl,
		})
		diags.Append(d...)
		elems = append(elems, o)
	}
	m.ProviderConfigs, d = types.ListValue(types.ObjectType{AttrTypes: dataPCAttrTypes()}, elems)
	diags.Append(d...)
	mcps := make([]attr.Value, 0, len(got.MCPConfigs))
	for i := range got.MCPConfigs {
		mc := &got.MCPConfigs[i]
		o, d := types.ObjectValue(dataMCPAttrTypes(), map[string]attr.Value{
			"mcp_client_name": types.StringValue(mc.MCPClientName), "config_id": configID(mc.ID),
			"tools_to_execute": tfvalue.StringSet(mc.ToolsToExecute, &diags),
		})
		diags.Append(d...)
		mcps = append(mcps, o)
	}
	m.MCPConfigs, d = types.ListValue(types.ObjectType{AttrTypes: dataMCPAttrTypes()}, mcps)
	diags.Append(d...)
	return m, diags
}

// NewDataSource returns the bifrost_virtual_key data source.
func NewDataSource() datasource.DataSource {
	return &governance.OneDataSource[bifrost.VirtualKey, vkDataModel]{
		Kind: kind, TypeSuffix: typeSuffix, Flatten: governance.Plain(flattenData),
		Description: "Reads one Bifrost virtual key, by id or by name, with the usage of its budgets and rate limits. " +
			"Its value is not shown (use the `bifrost_virtual_key` ephemeral resource).",
		IDDescription:   "The id of the key to read.",
		NameDescription: "The name of the key to read.",
		Validators:      []validator.String{stringvalidator.LengthAtLeast(1)},
		Attributes: func(id, name schema.StringAttribute) map[string]schema.Attribute {
			return dataAttributes(map[string]schema.Attribute{"id": id, "name": name})
		},
	}
}

type vksDataSource struct {
	governance.DataSourceBase
}

// NewVirtualKeysDataSource returns the bifrost_virtual_keys data source.
func NewVirtualKeysDataSource() datasource.DataSource {
	return &vksDataSource{governance.DataSourceBase{TypeSuffix: typeSuffix + "s"}}
}

type vksModel struct {
	VirtualKeys types.List `tfsdk:"virtual_keys"`
}

func (d *vksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every Bifrost virtual key, in creation order, with the usage of its budgets and rate limits (not its value).",
		Attributes: map[string]schema.Attribute{
			"virtual_keys": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The virtual keys.",
				NestedObject: schema.NestedAttributeObject{Attributes: dataAttributes(map[string]schema.Attribute{
					"id":   schema.StringAttribute{Computed: true, MarkdownDescription: "The key's id."},
					"name": schema.StringAttribute{Computed: true, MarkdownDescription: "The key's name."},
				})},
			},
		},
	}
}

func (d *vksDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	all, diags := kind.ListAll(ctx, d.Client)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var m vksModel
	m.VirtualKeys, _, diags = governance.ObjectList(ctx, kind, all, dataAttrTypes(), flattenData)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func dataAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"id": types.StringType, "name": types.StringType, "description": types.StringType, "is_active": types.BoolType,
		"team_id": types.StringType, "customer_id": types.StringType, "calendar_aligned": types.BoolType,
		"expires_at": types.StringType, "created_at": types.StringType, "updated_at": types.StringType,
		"budgets":          types.ListType{ElemType: limits.BudgetUsageType()},
		"rate_limit":       types.ObjectType{AttrTypes: limits.RateLimitUsageAttrTypes()},
		"provider_configs": types.ListType{ElemType: types.ObjectType{AttrTypes: dataPCAttrTypes()}},
		"mcp_configs":      types.ListType{ElemType: types.ObjectType{AttrTypes: dataMCPAttrTypes()}},
	}
}
