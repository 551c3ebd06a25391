package virtualkey

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/ephemeralvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

var (
	_ ephemeral.EphemeralResourceWithConfigure        = (*vkEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithConfigValidators = (*vkEphemeral)(nil)
)

// vkEphemeral reads a virtual key's value without it entering the plan or
// the state (Terraform ≥ 1.10), to hand it to a vault or an application's
// secret (with a write-only attribute, or a provider's ephemeral input).
type vkEphemeral struct {
	client *bifrost.Client
}

// NewEphemeralResource returns the bifrost_virtual_key ephemeral resource.
func NewEphemeralResource() ephemeral.EphemeralResource { return &vkEphemeral{} }

type vkEphemeralModel struct {
	ID       types.String `tfsdk:"id"`
	Name     types.String `tfsdk:"name"`
	Value    types.String `tfsdk:"value"`
	IsActive types.Bool   `tfsdk:"is_active"`
}

func (e *vkEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + typeSuffix
}

func (e *vkEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a Bifrost virtual key's value, by id or by name, without storing it in the plan or the state " +
			"(Terraform ≥ 1.10). Use it with `bifrost_virtual_key`'s `store_value = false` to hand the key to a vault or an application.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "The id of the key (e.g. `bifrost_virtual_key.x.id`). Exactly one of `id` and `name` must be set."},
			"name": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "The name of the key. Exactly one of `id` and `name` must be set."},
			"value":     schema.StringAttribute{Computed: true, Sensitive: true, MarkdownDescription: "The virtual key's secret (`sk-bf-…`)."},
			"is_active": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether Bifrost accepts the key."},
		},
	}
}

func (e *vkEphemeral) ConfigValidators(context.Context) []ephemeral.ConfigValidator {
	return []ephemeral.ConfigValidator{ephemeralvalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
}

func (e *vkEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (e *vkEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var cfg vkEphemeralModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, diags := kind.Find(ctx, e.client, cfg.ID, cfg.Name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, vkEphemeralModel{
		ID: types.StringValue(got.ID), Name: types.StringValue(got.Name), Value: types.StringValue(got.Value),
		IsActive: types.BoolValue(got.IsActive),
	})...)
}
