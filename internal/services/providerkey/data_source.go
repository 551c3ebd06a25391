package providerkey

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

var (
	_ datasource.DataSourceWithConfigure        = (*keyDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*keyDataSource)(nil)
)

type keyDataSource struct {
	client *bifrost.Client
}

// NewDataSource returns the bifrost_provider_key data source.
func NewDataSource() datasource.DataSource { return &keyDataSource{} }

func (d *keyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_key"
}

func (d *keyDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	view, diags := newKeyView(ctx)
	resp.Diagnostics.Append(diags...)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one key of a Bifrost provider, by id or by name, with every attribute of the `bifrost_provider_key` resource " +
			"but the write-only ones. Secrets are shown only as Bifrost returns them: masked.",
		Attributes: view.attributes(map[string]schema.Attribute{
			"provider_name": schema.StringAttribute{
				MarkdownDescription: "The Bifrost provider the key belongs to (`openai`, `azure`, ... or a custom provider's name).",
				Required:            true,
				Validators:          []validator.String{providerNameValidator},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "The id of the key to read. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The name of the key to read. Exactly one of `id` and `name` must be set.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		}),
	}
}

func (d *keyDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *keyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *keyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var provider, id, name types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("provider_name"), &provider)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	view, diags := newKeyView(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	key, diags := d.find(ctx, provider.ValueString(), id, name)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	values, diags := view.values(ctx, key, provider.ValueString())
	resp.Diagnostics.Append(diags...)
	for attrName, v := range values {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrName), v)...)
	}
}

// find reads the key with the given id or, when id is null, the given name.
func (d *keyDataSource) find(ctx context.Context, provider string, id, name types.String) (*bifrost.Key, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !id.IsNull() {
		key, err := d.client.GetKey(ctx, provider, id.ValueString())
		switch {
		case bifrost.IsNotFound(err):
			diags.AddAttributeError(path.Root("id"), "Provider key not found",
				fmt.Sprintf("Provider %q has no key with id %q (or the provider does not exist). Bifrost said: %s", provider, id.ValueString(), err))
		case err != nil:
			diags.AddError("Cannot read the provider key", err.Error())
		}
		return key, diags
	}
	keys, err := d.client.ListKeys(ctx, provider)
	if err != nil {
		diags.AddError("Cannot list the provider's keys", fmt.Sprintf("Listing the keys of provider %q: %s", provider, err))
		return nil, diags
	}
	for i := range keys {
		if keys[i].Name == name.ValueString() {
			return &keys[i], diags
		}
	}
	diags.AddAttributeError(path.Root("name"), "Provider key not found",
		fmt.Sprintf("Provider %q has no key named %q (%s listed).", provider, name.ValueString(), bifrost.Plural(len(keys), "key")))
	return nil, diags
}
