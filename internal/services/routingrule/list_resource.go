package routingrule

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

// NewListResource returns the bifrost_routing_rule list resource: the
// routing rules for `terraform query`, as bifrost_routing_rule resources to
// import.
func NewListResource() list.ListResource {
	return &governance.ListResource[bifrost.RoutingRule]{
		Kind: kind, TypeSuffix: "_routing_rule", Plural: "routing rules",
		Description: "Lists the Bifrost routing rules, each with its resource identity (`id`) and its name as display name.",
		Filters: map[string]listschema.StringAttribute{
			"scope":    {Optional: true, MarkdownDescription: "Keep only the rules of this scope (`global`, `team`, `customer`, `virtual_key`)."},
			"scope_id": {Optional: true, MarkdownDescription: "Keep only the rules of this team, customer or virtual key id."},
		},
		Keep: func(f map[string]string) func(*bifrost.RoutingRule) bool { return ofScope(f["scope"], f["scope_id"]) },
		Model: func(context.Context, *bifrost.Client, *diag.Diagnostics) func(*bifrost.RoutingRule) (any, diag.Diagnostics) {
			return func(r *bifrost.RoutingRule) (any, diag.Diagnostics) { return flattenRule(r, ruleModel{}) }
		},
	}
}
