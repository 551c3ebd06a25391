package virtualkey

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

// NewListResource returns the bifrost_virtual_key list resource: the
// virtual keys for `terraform query`, as bifrost_virtual_key resources to
// import. The resource object, when asked for, is what an import would put
// in the state, without the value (read on the import's refresh).
func NewListResource() list.ListResource {
	return &governance.ListResource[bifrost.VirtualKey]{
		Kind: kind, TypeSuffix: typeSuffix, Plural: "keys",
		Description: "Lists the Bifrost virtual keys, each with its resource identity (`id`) and its name as display name.",
		Model: func(ctx context.Context, _ *bifrost.Client, _ *diag.Diagnostics) func(*bifrost.VirtualKey) (any, diag.Diagnostics) {
			return func(vk *bifrost.VirtualKey) (any, diag.Diagnostics) { return importedModel(ctx, vk) }
		},
	}
}

// importedModel is the state an import of vk reads, without its value.
func importedModel(ctx context.Context, vk *bifrost.VirtualKey) (vkModel, diag.Diagnostics) {
	m, diags := flatten(ctx, vk, vkModel{
		StoreValue: types.BoolValue(true), Budgets: types.SetNull(limits.BudgetType()),
		ProviderConfigs: types.MapNull(pcType()), MCPConfigs: types.MapNull(mcpType()), RotationTrigger: types.StringNull(), ExpiresAt: types.StringNull(),
	})
	m.Value = types.StringNull()
	return m, diags
}
