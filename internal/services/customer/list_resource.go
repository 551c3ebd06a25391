package customer

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
	"github.com/maximhq/terraform-provider-bifrost/internal/services/team"
)

var _ list.ListResourceWithConfigure = (*customerListResource)(nil)

// customerListResource lists the customers for `terraform query`
// (Terraform ≥ 1.14), as bifrost_customer resources to import.
type customerListResource struct {
	client *bifrost.Client
}

// NewListResource returns the bifrost_customer list resource.
func NewListResource() list.ListResource { return &customerListResource{} }

type listConfigModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
}

func (l *customerListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer"
}

func (l *customerListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the Bifrost customers, each with its resource identity (`id`) and its name as display name " +
			"(names are not unique: the identity tells customers apart).",
		Attributes: map[string]listschema.Attribute{
			"name_regex": listschema.StringAttribute{Optional: true, Validators: []validator.String{team.RegexpValidator()},
				MarkdownDescription: "Keep only the customers whose name matches this regular expression ([RE2 syntax](https://golang.org/s/re2syntax), unanchored)."},
		},
	}
}

func (l *customerListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// List streams the customers in Bifrost's order, at most req.Limit of them.
// The resource object, when asked for, is what an import reads.
func (l *customerListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg listConfigModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	all, err := l.client.ListCustomers(ctx)
	if err != nil {
		diags.AddError("Cannot list the customers", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	customers, err := filter(all, cfg.NameRegex.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit > 0 && int64(len(customers)) > req.Limit {
		customers = customers[:req.Limit]
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range customers {
			cu := &customers[i]
			result := req.NewListResult(ctx)
			result.DisplayName = cu.Name
			result.Diagnostics.Append(result.Identity.Set(ctx, identityModel{ID: types.StringValue(cu.ID)})...)
			if req.IncludeResource {
				m, d := flattenCustomer(cu, customerModel{})
				result.Diagnostics.Append(d...)
				result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
			}
			if !push(result) {
				return
			}
		}
	}
}
