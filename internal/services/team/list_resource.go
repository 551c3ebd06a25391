package team

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

// NewListResource returns the bifrost_team list resource: the teams for
// `terraform query`, as bifrost_team resources to import.
func NewListResource() list.ListResource {
	return &governance.ListResource[bifrost.Team]{
		Kind: kind, TypeSuffix: "_team", Plural: "teams",
		Description: "Lists the Bifrost teams, each with its resource identity (`id`) and its name as display name.",
		Filters: map[string]listschema.StringAttribute{
			"customer_id": {Optional: true, MarkdownDescription: "Keep only the teams of this customer."},
		},
		Keep: func(f map[string]string) func(*bifrost.Team) bool { return ofCustomer(f["customer_id"]) },
		Model: func(ctx context.Context, c *bifrost.Client, diags *diag.Diagnostics) func(*bifrost.Team) (any, diag.Diagnostics) {
			v2 := isV2(ctx, c, diags)
			return func(t *bifrost.Team) (any, diag.Diagnostics) { return flattenTeam(t, teamModel{}, v2) }
		},
	}
}
