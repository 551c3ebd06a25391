package team

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

var _ list.ListResourceWithConfigure = (*teamListResource)(nil)

// teamListResource lists the teams for `terraform query` (Terraform ≥
// 1.14), as bifrost_team resources to import.
type teamListResource struct {
	client *bifrost.Client
}

// NewListResource returns the bifrost_team list resource.
func NewListResource() list.ListResource { return &teamListResource{} }

type listConfigModel struct {
	CustomerID types.String `tfsdk:"customer_id"`
	NameRegex  types.String `tfsdk:"name_regex"`
}

func (l *teamListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_team"
}

func (l *teamListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the Bifrost teams, each with its resource identity (`id`) and its name as display name.",
		Attributes: map[string]listschema.Attribute{
			"customer_id": listschema.StringAttribute{Optional: true, MarkdownDescription: "Keep only the teams of this customer."},
			"name_regex":  governance.NameRegexListAttribute("teams"),
		},
	}
}

func (l *teamListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// List streams the teams in Bifrost's order, at most req.Limit of them. The
// resource object, when asked for, is what an import of the team reads.
func (l *teamListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg listConfigModel
	teams, ok := kind.ListSelected(ctx, l.client, req, stream, &cfg, func() (string, func(*bifrost.Team) bool) {
		return cfg.NameRegex.ValueString(), ofCustomer(cfg.CustomerID.ValueString())
	})
	if !ok {
		return
	}
	v2 := false
	if req.IncludeResource {
		var diags diag.Diagnostics
		v2 = isV2(ctx, l.client, &diags)
		if diags.HasError() {
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
	}
	kind.StreamResults(ctx, req, stream, teams, func(t *bifrost.Team) (any, diag.Diagnostics) {
		return flattenTeam(t, teamModel{}, v2)
	})
}
