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

// keyDataSourceModel is the state of the bifrost_provider_key data source.
type keyDataSourceModel struct {
	ProviderName types.String `tfsdk:"provider_name"`
	keyDataModel
}

func (d *keyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_key"
}

func (d *keyDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs, diags := keyDataAttributes(ctx)
	resp.Diagnostics.Append(diags...)
	attrs["provider_name"] = schema.StringAttribute{
		MarkdownDescription: "The Bifrost provider the key belongs to (`openai`, `azure`, ... or a custom provider's name).",
		Required:            true,
		Validators:          []validator.String{providerNameValidator{}},
	}
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The id of the key to read. Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The name of the key to read. Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one key of a Bifrost provider, by id or by name. Secrets are shown only as Bifrost returns them: masked.",
		Attributes:          attrs,
	}
}

func (d *keyDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *keyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configuredClient(req.ProviderData, &resp.Diagnostics)
}

func (d *keyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg keyDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	provider := cfg.ProviderName.ValueString()

	var key *bifrost.Key
	if !cfg.ID.IsNull() {
		id := cfg.ID.ValueString()
		got, err := d.client.GetKey(ctx, provider, id)
		if bifrost.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Provider key not found",
				fmt.Sprintf("Provider %q has no key with id %q (or the provider does not exist). Bifrost said: %s", provider, id, err))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the provider key", err.Error())
			return
		}
		key = got
	} else {
		name := cfg.Name.ValueString()
		keys, err := d.client.ListKeys(ctx, provider)
		if err != nil {
			resp.Diagnostics.AddError("Cannot list the provider's keys", fmt.Sprintf("Listing the keys of provider %q: %s", provider, err))
			return
		}
		for i := range keys {
			if keys[i].Name == name {
				key = &keys[i]
				break
			}
		}
		if key == nil {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Provider key not found",
				fmt.Sprintf("Provider %q has no key named %q (%d keys listed).", provider, name, len(keys)))
			return
		}
	}

	data, diags := keyData(ctx, key, provider)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, keyDataSourceModel{ProviderName: cfg.ProviderName, keyDataModel: data})...)
}

// configuredClient is the Bifrost client of the provider's Configure (nil
// before the provider is configured).
func configuredClient(providerData any, diags *diag.Diagnostics) *bifrost.Client {
	if providerData == nil {
		return nil
	}
	client, ok := providerData.(*bifrost.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *bifrost.Client, got %T. Please report this issue to the provider developers.", providerData))
	}
	return client
}
