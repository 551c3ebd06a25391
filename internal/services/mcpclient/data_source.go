package mcpclient

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var _ datasource.DataSourceWithConfigure = (*clientsDataSource)(nil)

type clientsDataSource struct {
	client *bifrost.Client
}

// NewClientsDataSource returns the bifrost_mcp_clients data source.
func NewClientsDataSource() datasource.DataSource { return &clientsDataSource{} }

type toolModel struct {
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
}

type vkModel struct {
	VirtualKeyID   types.String `tfsdk:"virtual_key_id"`
	VirtualKeyName types.String `tfsdk:"virtual_key_name"`
	ToolsToExecute []string     `tfsdk:"tools_to_execute"`
}

type clientModel struct {
	ClientID         types.String       `tfsdk:"client_id"`
	Name             types.String       `tfsdk:"name"`
	ConnectionType   types.String       `tfsdk:"connection_type"`
	StdioConfig      *dsStdioModel      `tfsdk:"stdio_config"`
	AuthType         types.String       `tfsdk:"auth_type"`
	ToolsToExecute   []string           `tfsdk:"tools_to_execute"`
	ToolsToAutoExec  []string           `tfsdk:"tools_to_auto_execute"`
	ToolPricing      map[string]float64 `tfsdk:"tool_pricing"`
	IsCodeMode       types.Bool         `tfsdk:"is_code_mode_client"`
	AllVirtualKeys   types.Bool         `tfsdk:"allow_on_all_virtual_keys"`
	ToolSyncInterval types.Int64        `tfsdk:"tool_sync_interval"`
	IsPingAvailable  types.Bool         `tfsdk:"is_ping_available"`
	Disabled         types.Bool         `tfsdk:"disabled"`
	State            types.String       `tfsdk:"state"`
	Tools            []toolModel        `tfsdk:"tools"`
	VKConfigs        []vkModel          `tfsdk:"vk_configs"`
}

// dsStdioModel is a client's stdio_config (nil, shown null, for http and
// sse clients).
type dsStdioModel struct {
	Command types.String `tfsdk:"command"`
	Args    []string     `tfsdk:"args"`
	Envs    []string     `tfsdk:"envs"`
}

type clientsModel struct {
	NameRegex types.String  `tfsdk:"name_regex"`
	Clients   []clientModel `tfsdk:"clients"`
}

func (d *clientsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_mcp_clients"
}

func (d *clientsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = providerdata.Client(req.ProviderData, &resp.Diagnostics)
}

func (d *clientsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The MCP clients of Bifrost, in creation order, with the tools each MCP server offers and the connection's " +
			"state. Secrets (connection strings, header values) are not shown: Bifrost redacts them.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{Optional: true, MarkdownDescription: governance.NameRegexDescription("MCP clients"),
				Validators: []validator.String{governance.RegexpValidator()}},
			"clients": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The MCP clients.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"client_id":       str("The client's id."),
					"name":            str("The client's name."),
					"connection_type": str("`http`, `sse` or `stdio`."),
					"auth_type":       str("`none`, `headers`, `oauth` or `per_user_oauth`."),
					"stdio_config": schema.SingleNestedAttribute{Computed: true,
						MarkdownDescription: "The process Bifrost runs on its own host for a `stdio` client (null for `http` and `sse`).",
						Attributes: map[string]schema.Attribute{
							"command": str("The executable Bifrost runs."),
							"args":    schema.ListAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "The command's arguments."},
							"envs": schema.ListAttribute{ElementType: types.StringType, Computed: true,
								MarkdownDescription: "The environment variables Bifrost adds for the command, as it takes them (a list of strings)."},
						}},
					"tools_to_execute": schema.ListAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "The tools Bifrost may run (`[\"*\"]`: all)."},
					"tools_to_auto_execute": schema.ListAttribute{ElementType: types.StringType, Computed: true,
						MarkdownDescription: "The tools Bifrost runs without asking first (`[\"*\"]`: all)."},
					"tool_pricing": schema.MapAttribute{ElementType: types.Float64Type, Computed: true,
						MarkdownDescription: "The price of one call of each tool, by tool name (empty: none)."},
					"is_code_mode_client": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the client is in code mode."},
					"allow_on_all_virtual_keys": schema.BoolAttribute{Computed: true,
						MarkdownDescription: "Whether every virtual key may use the client's tools without a grant."},
					"tool_sync_interval": schema.Int64Attribute{Computed: true, MarkdownDescription: "Minutes between refreshes of the tool list (-1: none)."},
					"is_ping_available":  schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the server answers ping."},
					"disabled":           schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the client is disabled."},
					"state":              str("`connected`, `disconnected` or `error`."),
					"tools": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The tools the MCP server offered when Bifrost last listed them.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"name": str("The tool's name."), "description": str("The tool's description."),
						}}},
					"vk_configs": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The virtual keys granted tools of the client.",
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"virtual_key_id": str("The virtual key's id."), "virtual_key_name": str("The virtual key's name."),
							"tools_to_execute": schema.ListAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: "The tools granted."},
						}}},
				}},
			},
		},
	}
}

func (d *clientsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m clientsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, diags := kind.ListAll(ctx, d.client)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	kept, err := kind.Filter(all, m.NameRegex.ValueString(), nil)
	if err != nil {
		resp.Diagnostics.AddError("Invalid name_regex", err.Error())
		return
	}
	m.Clients = []clientModel{}
	for _, c := range kept {
		cfg := c.Config
		cm := clientModel{
			ClientID: types.StringValue(cfg.ClientID), Name: types.StringValue(cfg.Name),
			ConnectionType: types.StringValue(cfg.ConnectionType), AuthType: types.StringValue(cfg.AuthType),
			ToolsToExecute: nonNil(cfg.ToolsToExecute), ToolsToAutoExec: nonNil(cfg.ToolsToAutoExecute), ToolPricing: map[string]float64{},
			IsCodeMode: types.BoolValue(cfg.IsCodeModeClient), AllVirtualKeys: types.BoolValue(cfg.AllowOnAllVirtualKeys),
			ToolSyncInterval: types.Int64Value(int64(cfg.ToolSyncInterval / time.Minute)),
			IsPingAvailable:  types.BoolValue(cfg.IsPingAvailable == nil || *cfg.IsPingAvailable),
			Disabled:         types.BoolValue(cfg.Disabled), State: types.StringValue(c.State),
			Tools: []toolModel{}, VKConfigs: []vkModel{},
		}
		if cfg.ConnectionType == "stdio" && cfg.StdioConfig != nil {
			cm.StdioConfig = &dsStdioModel{Command: types.StringValue(cfg.StdioConfig.Command),
				Args: nonNil(cfg.StdioConfig.Args), Envs: nonNil(cfg.StdioConfig.Envs)}
		}
		for k, v := range cfg.ToolPricing {
			cm.ToolPricing[k] = v
		}
		if cfg.ToolSyncInterval < 0 {
			cm.ToolSyncInterval = types.Int64Value(-1)
		}
		for _, t := range c.Tools {
			cm.Tools = append(cm.Tools, toolModel{Name: types.StringValue(t.Name), Description: types.StringValue(t.Description)})
		}
		for _, v := range c.VKConfigs {
			cm.VKConfigs = append(cm.VKConfigs, vkModel{VirtualKeyID: types.StringValue(v.VirtualKeyID),
				VirtualKeyName: types.StringValue(v.VirtualKeyName), ToolsToExecute: nonNil(v.ToolsToExecute)})
		}
		m.Clients = append(m.Clients, cm)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
