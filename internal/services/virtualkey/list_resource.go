package virtualkey

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/limits"
)

var _ list.ListResourceWithConfigure = (*vkListResource)(nil)

// vkListResource lists the virtual keys for `terraform query` (Terraform
// ≥ 1.14), as bifrost_virtual_key resources to import.
type vkListResource struct {
	client *bifrost.Client
}

// NewListResource returns the bifrost_virtual_key list resource.
func NewListResource() list.ListResource { return &vkListResource{} }

type vkListConfigModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
}

func (l *vkListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + typeSuffix
}

func (l *vkListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Lists the Bifrost virtual keys, each with its resource identity (`id`) and its name as display name.",
		Attributes: map[string]listschema.Attribute{
			"name_regex": listschema.StringAttribute{
				MarkdownDescription: governance.NameRegexDescription("keys"),
				Optional:            true,
				Validators:          []validator.String{governance.RegexpValidator()},
			},
		},
	}
}

func (l *vkListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

// List streams the virtual keys in Bifrost's order, at most req.Limit of
// them. The resource object, when asked for, is what an import would put
// in the state, without the value (read on the import's refresh).
func (l *vkListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg vkListConfigModel
	keys, ok := kind.ListSelected(ctx, l.client, req, stream, &cfg, func() (string, func(*bifrost.VirtualKey) bool) {
		return cfg.NameRegex.ValueString(), nil
	})
	if !ok {
		return
	}
	kind.StreamResults(ctx, req, stream, keys, func(vk *bifrost.VirtualKey) (any, diag.Diagnostics) {
		return importedModel(ctx, vk)
	})
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
