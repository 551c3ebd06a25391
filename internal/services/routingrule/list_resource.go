package routingrule

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var _ list.ListResourceWithConfigure = (*ruleListResource)(nil)

// ruleListResource lists the routing rules for `terraform query`
// (Terraform ≥ 1.14), as bifrost_routing_rule resources to import.
type ruleListResource struct {
	client *bifrost.Client
}

// NewListResource returns the bifrost_routing_rule list resource.
func NewListResource() list.ListResource { return &ruleListResource{} }

type listConfigModel struct {
	Scope     types.String `tfsdk:"scope"`
	ScopeID   types.String `tfsdk:"scope_id"`
	NameRegex types.String `tfsdk:"name_regex"`
}

func (l *ruleListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_routing_rule"
}

func (l *ruleListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the Bifrost routing rules, each with its resource identity (`id`) and its name as display name.",
		Attributes: map[string]listschema.Attribute{
			"scope":      listschema.StringAttribute{Optional: true, MarkdownDescription: "Keep only the rules of this scope (`global`, `team`, `customer`, `virtual_key`)."},
			"scope_id":   listschema.StringAttribute{Optional: true, MarkdownDescription: "Keep only the rules of this team, customer or virtual key id."},
			"name_regex": governance.NameRegexListAttribute("routing rules"),
		},
	}
}

func (l *ruleListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// List streams the rules in Bifrost's order, at most req.Limit of them. The
// resource object, when asked for, is what an import of the rule reads.
func (l *ruleListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg listConfigModel
	rules, ok := kind.ListSelected(ctx, l.client, req, stream, &cfg, func() (string, func(*bifrost.RoutingRule) bool) {
		return cfg.NameRegex.ValueString(), ofScope(cfg.Scope.ValueString(), cfg.ScopeID.ValueString())
	})
	if !ok {
		return
	}
	kind.StreamResults(ctx, req, stream, rules, func(r *bifrost.RoutingRule) (any, diag.Diagnostics) {
		return flattenRule(r, ruleModel{})
	})
}
