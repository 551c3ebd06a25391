package bifrostprovider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

var _ datasource.DataSourceWithConfigure = (*providersDataSource)(nil)

type providersDataSource struct {
	client *bifrost.Client
}

// NewProvidersDataSource returns the bifrost_providers data source.
func NewProvidersDataSource() datasource.DataSource { return &providersDataSource{} }

type providersModel struct {
	Names     []types.String       `tfsdk:"names"`
	Providers []providerEntryModel `tfsdk:"providers"`
}

type providerEntryModel struct {
	Name             types.String `tfsdk:"name"`
	ProviderStatus   types.String `tfsdk:"provider_status"`
	Status           types.String `tfsdk:"status"`
	Description      types.String `tfsdk:"description"`
	Custom           types.Bool   `tfsdk:"custom"`
	BaseProviderType types.String `tfsdk:"base_provider_type"`
	KeyLess          types.Bool   `tfsdk:"is_key_less"`
}

func (d *providersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_providers"
}

func (d *providersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *providersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) dsschema.StringAttribute {
		return dsschema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = dsschema.Schema{
		MarkdownDescription: "Lists the providers configured in Bifrost, sorted by name, with their status.",
		Attributes: map[string]dsschema.Attribute{
			"names": dsschema.ListAttribute{
				MarkdownDescription: "The providers' names, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"providers": dsschema.ListNestedAttribute{
				MarkdownDescription: "The providers, sorted by name.",
				Computed:            true,
				NestedObject: dsschema.NestedAttributeObject{Attributes: map[string]dsschema.Attribute{
					"name":            computed("The provider's name."),
					"provider_status": computed("`active`, `error` or `deleted`."),
					"status":          computed("Result of Bifrost's last model discovery for the provider (e.g. `list_models_failed`), when reported."),
					"description":     computed("Bifrost's explanation of `status`."),
					"custom": dsschema.BoolAttribute{
						MarkdownDescription: "Whether this is a custom provider (with `custom_provider_config`).", Computed: true,
					},
					"base_provider_type": computed("For a custom provider, the built-in type it is based on."),
					"is_key_less": dsschema.BoolAttribute{
						MarkdownDescription: "For a custom provider, whether it takes no keys.", Computed: true,
					},
				}},
			},
		},
	}
}

func (d *providersDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	providers, err := d.client.ListProviders(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the providers", err.Error())
		return
	}
	m := providersModel{Names: []types.String{}, Providers: []providerEntryModel{}}
	for _, p := range providers {
		e := providerEntryModel{
			Name: types.StringValue(p.Name), ProviderStatus: types.StringValue(p.ProviderStatus),
			Status: types.StringValue(p.Status), Description: types.StringValue(p.Description),
			Custom: types.BoolValue(p.CustomProviderConfig != nil), BaseProviderType: types.StringNull(), KeyLess: types.BoolNull(),
		}
		if c := p.CustomProviderConfig; c != nil {
			e.BaseProviderType, e.KeyLess = types.StringValue(c.BaseProviderType), types.BoolValue(c.IsKeyLess)
		}
		m.Names = append(m.Names, e.Name)
		m.Providers = append(m.Providers, e)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
