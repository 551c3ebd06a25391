package customer

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
			"name_regex": governance.NameRegexListAttribute("customers"),
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
	customers, ok := kind.ListSelected(ctx, l.client, req, stream, &cfg, func() (string, func(*bifrost.Customer) bool) {
		return cfg.NameRegex.ValueString(), nil
	})
	if !ok {
		return
	}
	kind.StreamResults(ctx, req, stream, customers, func(cu *bifrost.Customer) (any, diag.Diagnostics) {
		return flattenCustomer(cu, customerModel{})
	})
}
