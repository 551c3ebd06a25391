package virtualkey

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
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
				MarkdownDescription: "Keep only the keys whose name matches this regular expression ([RE2 syntax](https://golang.org/s/re2syntax), unanchored).",
				Optional:            true,
				Validators:          []validator.String{regexValidator{}},
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
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var re *regexp.Regexp
	if s := cfg.NameRegex.ValueString(); s != "" {
		var err error
		if re, err = regexp.Compile(s); err != nil {
			diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex", err.Error())
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
	}
	all, err := l.client.ListVirtualKeys(ctx)
	if err != nil {
		diags.AddError("Cannot list the virtual keys", err.Error())
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var keys []bifrost.VirtualKey
	for _, vk := range all {
		if re == nil || re.MatchString(vk.Name) {
			keys = append(keys, vk)
		}
	}
	if req.Limit > 0 && int64(len(keys)) > req.Limit {
		keys = keys[:req.Limit]
	}
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range keys {
			vk := &keys[i]
			result := req.NewListResult(ctx)
			result.DisplayName = vk.Name
			result.Diagnostics.Append(result.Identity.Set(ctx, identityModel{ID: types.StringValue(vk.ID)})...)
			if req.IncludeResource {
				m, d := importedModel(ctx, vk)
				result.Diagnostics.Append(d...)
				result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
			}
			if !push(result) {
				return
			}
		}
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

type regexValidator struct{}

func (regexValidator) Description(context.Context) string { return "an RE2 regular expression" }

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid name_regex", fmt.Sprintf("%q is not a regular expression: %s", req.ConfigValue.ValueString(), err))
	}
}
