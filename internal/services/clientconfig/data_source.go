package clientconfig

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
)

var _ datasource.DataSourceWithConfigure = (*configDataSource)(nil)

type configDataSource struct {
	client *bifrost.Client
}

// NewDataSource returns the bifrost_client_config data source.
func NewDataSource() datasource.DataSource { return &configDataSource{} }

func (d *configDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_client_config"
}

func (d *configDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataAttributes(settings)
	attrs["id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Always `" + singletonID + "`."}
	attrs["restart_required"] = schema.BoolAttribute{Computed: true,
		MarkdownDescription: "Whether settings changed since Bifrost started need a restart to take effect."}
	attrs["restart_reason"] = schema.StringAttribute{Computed: true,
		MarkdownDescription: "Which settings need the restart (`\"\"` when none)."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Bifrost's core client settings (`client_config` of `/api/config`), as the server has them. " +
			"Members only Bifrost ≥ 2.0 has are null against v1.5.1.",
		Attributes: attrs,
	}
}

func (d *configDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *configDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	got, err := d.client.GetConfig(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the client configuration", err.Error())
		return
	}
	vals, diags := fromServer(got.ClientConfig)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	required, reason := false, ""
	if rr := got.RestartRequired; rr != nil {
		required, reason = rr.Required, rr.Reason
	}
	vals["restart_required"], vals["restart_reason"] = types.BoolValue(required), types.StringValue(reason)
	typesOf := attrTypes(settings, true)
	typesOf["restart_required"], typesOf["restart_reason"] = types.BoolType, types.StringType
	obj, diags := types.ObjectValue(typesOf, vals)
	resp.Diagnostics.Append(diags...)
	if !diags.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, obj)...)
	}
}
