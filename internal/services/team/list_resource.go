package team

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
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
			"name_regex": listschema.StringAttribute{Optional: true, Validators: []validator.String{RegexpValidator()},
				MarkdownDescription: "Keep only the teams whose name matches this regular expression ([RE2 syntax](https://golang.org/s/re2syntax), unanchored)."},
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
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	all, err := l.client.ListTeams(ctx)
	if err != nil {
		diags.AddError("Cannot list the teams", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	teams, err := filter(all, cfg.CustomerID.ValueString(), cfg.NameRegex.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit > 0 && int64(len(teams)) > req.Limit {
		teams = teams[:req.Limit]
	}
	v2 := false
	if req.IncludeResource {
		v2 = isV2(ctx, l.client, &diags)
		if diags.HasError() {
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range teams {
			t := &teams[i]
			result := req.NewListResult(ctx)
			result.DisplayName = t.Name
			result.Diagnostics.Append(result.Identity.Set(ctx, identityModel{ID: types.StringValue(t.ID)})...)
			if req.IncludeResource {
				m, d := flattenTeam(t, teamModel{}, v2)
				result.Diagnostics.Append(d...)
				result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
