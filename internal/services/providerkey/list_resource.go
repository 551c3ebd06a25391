package providerkey

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

var _ list.ListResourceWithConfigure = (*keyListResource)(nil)

// keyListResource lists the keys of a provider for `terraform query`
// (Terraform ≥ 1.14), as bifrost_provider_key resources to import.
type keyListResource struct {
	client *bifrost.Client
}

// NewListResource returns the bifrost_provider_key list resource.
func NewListResource() list.ListResource { return &keyListResource{} }

type keyListConfigModel struct {
	ProviderName types.String `tfsdk:"provider_name"`
	NameRegex    types.String `tfsdk:"name_regex"`
}

func (l *keyListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_key"
}

func (l *keyListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the keys of a Bifrost provider, each with its resource identity (`provider_name`, `id`) and its name as display name.",
		Attributes: map[string]listschema.Attribute{
			"provider_name": listschema.StringAttribute{
				MarkdownDescription: "The Bifrost provider whose keys to list.",
				Required:            true,
				Validators:          []validator.String{providerNameValidator},
			},
			"name_regex": listschema.StringAttribute{
				MarkdownDescription: "Keep only the keys whose name matches this regular expression ([RE2 syntax](https://golang.org/s/re2syntax), unanchored).",
				Optional:            true,
				Validators:          []validator.String{regexpValidator},
			},
		},
	}
}

func (l *keyListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// List streams the provider's keys in Bifrost's order, at most req.Limit of
// them. The resource object, when asked for, is what an import of the key
// would put in the state: secrets as their masks (or references).
func (l *keyListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg keyListConfigModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	provider := cfg.ProviderName.ValueString()
	all, err := l.client.ListKeys(ctx, provider)
	if err != nil {
		diags.AddError("Cannot list the provider's keys", fmt.Sprintf("Listing the keys of provider %q: %s", provider, err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	keys, err := keyFilter{nameRegex: cfg.NameRegex, enabled: types.BoolNull()}.apply(all)
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if req.Limit > 0 && int64(len(keys)) > req.Limit {
		keys = keys[:req.Limit]
	}

	stream.Results = func(push func(list.ListResult) bool) {
		for i := range keys {
			k := &keys[i]
			result := req.NewListResult(ctx)
			result.DisplayName = k.Name
			result.Diagnostics.Append(result.Identity.Set(ctx, identityModel{ProviderName: types.StringValue(provider), ID: types.StringValue(k.ID)})...)
			if req.IncludeResource {
				result.Diagnostics.Append(setListedResource(ctx, result.Resource, k, provider)...)
			}
			if !push(result) {
				return
			}
		}
	}
}

// setListedResource fills the resource object of a listed key with the
// state an import of the key would read.
func setListedResource(ctx context.Context, res *tfsdk.Resource, k *bifrost.Key, provider string) diag.Diagnostics {
	m, diags := importedKey(ctx, res.Schema, k, provider)
	if diags.HasError() {
		return diags
	}
	diags.Append(res.Set(ctx, m)...)
	return diags
}
