// Package virtualkey implements bifrost_virtual_key: the resource, its
// ephemeral resource, data sources and list resource.
package virtualkey

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

// vkModel is the Terraform state of a bifrost_virtual_key.
type vkModel struct {
	ID              types.String `tfsdk:"id"`
	Name            types.String `tfsdk:"name"`
	Description     types.String `tfsdk:"description"`
	IsActive        types.Bool   `tfsdk:"is_active"`
	TeamID          types.String `tfsdk:"team_id"`
	CustomerID      types.String `tfsdk:"customer_id"`
	CalendarAligned types.Bool   `tfsdk:"calendar_aligned"`
	Budgets         types.Set    `tfsdk:"budgets"`
	RateLimit       types.Object `tfsdk:"rate_limit"`
	ProviderConfigs types.Map    `tfsdk:"provider_configs"`
	MCPConfigs      types.Map    `tfsdk:"mcp_configs"`
	Value           types.String `tfsdk:"value"`
	StoreValue      types.Bool   `tfsdk:"store_value"`
	ExpiresAt       types.String `tfsdk:"expires_at"`
	RotationTrigger types.String `tfsdk:"rotation_trigger"`
}

// pcModel is one provider config of a virtual key, keyed by provider name.
type pcModel struct {
	ConfigID          types.Int64   `tfsdk:"config_id"`
	Weight            types.Float64 `tfsdk:"weight"`
	AllowedModels     types.Set     `tfsdk:"allowed_models"`
	KeyIDs            types.Set     `tfsdk:"key_ids"`
	BlacklistedModels types.Set     `tfsdk:"blacklisted_models"`
	Budgets           types.Set     `tfsdk:"budgets"`
	RateLimit         types.Object  `tfsdk:"rate_limit"`
}

func pcAttrTypes() map[string]attr.Type {
	strs := types.SetType{ElemType: types.StringType}
	return map[string]attr.Type{
		"config_id":          types.Int64Type,
		"weight":             types.Float64Type,
		"allowed_models":     strs,
		"key_ids":            strs,
		"blacklisted_models": strs,
		"budgets":            types.SetType{ElemType: limits.BudgetType()},
		"rate_limit":         types.ObjectType{AttrTypes: limits.RateLimitAttrTypes()},
	}
}

func pcType() types.ObjectType { return types.ObjectType{AttrTypes: pcAttrTypes()} }

// mcpModel is one MCP config of a virtual key, keyed by MCP client name.
type mcpModel struct {
	ConfigID       types.Int64 `tfsdk:"config_id"`
	ToolsToExecute types.Set   `tfsdk:"tools_to_execute"`
}

func mcpAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"config_id":        types.Int64Type,
		"tools_to_execute": types.SetType{ElemType: types.StringType},
	}
}

func mcpType() types.ObjectType { return types.ObjectType{AttrTypes: mcpAttrTypes()} }
