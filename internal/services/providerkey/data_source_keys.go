package providerkey

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

var _ datasource.DataSourceWithConfigure = (*keysDataSource)(nil)

type keysDataSource struct {
	client *bifrost.Client
}

// NewKeysDataSource returns the bifrost_provider_keys data source.
func NewKeysDataSource() datasource.DataSource { return &keysDataSource{} }

// keysDataSourceModel is the state of the bifrost_provider_keys data source.
type keysDataSourceModel struct {
	ProviderName types.String `tfsdk:"provider_name"`
	NameRegex    types.String `tfsdk:"name_regex"`
	Enabled      types.Bool   `tfsdk:"enabled"`
	Keys         types.List   `tfsdk:"keys"`
	IDs          []string     `tfsdk:"ids"`
}

func (d *keysDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_keys"
}

func (d *keysDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	view, diags := newKeyView(ctx)
	resp.Diagnostics.Append(diags...)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the keys of a Bifrost provider, optionally filtered by name and enabled state. " +
			"Secrets are shown only as Bifrost returns them: masked.",
		Attributes: map[string]schema.Attribute{
			"provider_name": schema.StringAttribute{
				MarkdownDescription: "The Bifrost provider whose keys to list (`openai`, `azure`, ... or a custom provider's name).",
				Required:            true,
				Validators:          []validator.String{providerNameValidator},
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Keep only the keys whose name matches this regular expression ([RE2 syntax](https://golang.org/s/re2syntax), " +
					"unanchored: use `^...$` for a whole-name match). Checked at plan time.",
				Optional:   true,
				Validators: []validator.String{regexpValidator},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Keep only the enabled (`true`) or the disabled (`false`) keys.",
				Optional:            true,
			},
			"keys": schema.ListNestedAttribute{
				MarkdownDescription: "The selected keys, in Bifrost's order (creation order), with the attributes of the `bifrost_provider_key` data source.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: view.attributes(nil)},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The ids of the selected keys, in the order of `keys`.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *keysDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *keysDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m keysDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	provider := m.ProviderName.ValueString()
	all, err := d.client.ListKeys(ctx, provider)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the provider's keys", fmt.Sprintf("Listing the keys of provider %q: %s", provider, err))
		return
	}
	keys, err := keyFilter{nameRegex: m.NameRegex, enabled: m.Enabled}.apply(all)
	if err != nil {
		resp.Diagnostics.AddError("Invalid name_regex", err.Error())
		return
	}
	view, diags := newKeyView(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	objectType := view.objectType()
	objects, ids := make([]attr.Value, 0, len(keys)), make([]string, 0, len(keys))
	for i := range keys {
		values, diags := view.values(ctx, &keys[i], provider)
		resp.Diagnostics.Append(diags...)
		object, diags := types.ObjectValue(objectType.AttrTypes, values)
		resp.Diagnostics.Append(diags...)
		objects = append(objects, object)
		ids = append(ids, keys[i].ID)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	m.Keys, diags = types.ListValue(objectType, objects)
	m.IDs = ids
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}
