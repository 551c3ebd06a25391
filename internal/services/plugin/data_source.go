package plugin

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance"
)

var _ datasource.DataSourceWithConfigure = (*pluginDataSource)(nil)

// pluginDataModel is a plugin as the data sources show it, with its status
// (read from the list: the GET of one plugin has none).
type pluginDataModel struct {
	Name      types.String `tfsdk:"name"`
	Enabled   types.Bool   `tfsdk:"enabled"`
	Config    configValue  `tfsdk:"config"`
	Path      types.String `tfsdk:"path"`
	Placement types.String `tfsdk:"placement"`
	Order     types.Int64  `tfsdk:"order"`
	IsCustom  types.Bool   `tfsdk:"is_custom"`
	Status    types.String `tfsdk:"status"`
	Logs      types.List   `tfsdk:"logs"`
}

func dataAttributes(name schema.StringAttribute) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"name":    name,
		"enabled": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether Bifrost runs the plugin."},
		"config": schema.StringAttribute{Computed: true, Sensitive: true, CustomType: configType{},
			MarkdownDescription: "The plugin's configuration, a JSON object (in clear in Bifrost: sensitive); null when it has none."},
		"path":      schema.StringAttribute{Computed: true, MarkdownDescription: "The custom plugin's `.so` path; null for built-ins."},
		"placement": schema.StringAttribute{Computed: true, MarkdownDescription: "`pre_builtin`, `post_builtin`, or null (Bifrost's default)."},
		"order":     schema.Int64Attribute{Computed: true, MarkdownDescription: "The plugin's position among its placement's plugins, if set."},
		"is_custom": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the plugin is a custom one (not a built-in)."},
		"status":    schema.StringAttribute{Computed: true, MarkdownDescription: "The loaded plugin's state as Bifrost reports it (e.g. `active`)."},
		"logs":      schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "The plugin's load logs."},
	}
}

func flattenData(p *bifrost.Plugin) (pluginDataModel, diag.Diagnostics) {
	m := pluginDataModel{
		Name: types.StringValue(p.Name), Enabled: types.BoolValue(p.Enabled), Config: flattenConfig(p.Config, configNull()),
		Path: types.StringPointerValue(p.Path), Placement: types.StringPointerValue(p.Placement), Order: types.Int64PointerValue(p.Order),
		IsCustom: types.BoolValue(p.IsCustom), Status: types.StringNull(),
	}
	logs := []string{}
	if p.Status != nil {
		m.Status = types.StringValue(p.Status.Status)
		if p.Status.Logs != nil {
			logs = p.Status.Logs
		}
	}
	var diags diag.Diagnostics
	m.Logs, diags = types.ListValueFrom(context.Background(), types.StringType, logs)
	return m, diags
}

type pluginDataSource struct {
	governance.DataSourceBase
}

// NewDataSource returns the bifrost_plugin data source.
func NewDataSource() datasource.DataSource {
	return &pluginDataSource{governance.DataSourceBase{TypeSuffix: "_plugin"}}
}

func (d *pluginDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Bifrost plugin stored in the configuration, by name, with its status.",
		Attributes:          dataAttributes(schema.StringAttribute{Required: true, MarkdownDescription: "The name of the plugin to read."}),
	}
}

func (d *pluginDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg pluginDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, diags := kind.ListAll(ctx, d.Client)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := bifrost.FindPlugin(all, cfg.Name.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("name"), "Plugin not found",
			fmt.Sprintf("Bifrost has no stored plugin named %s (%s listed). The built-ins Bifrost registers by itself "+
				"(telemetry, logging, governance, prompts) are not stored plugins.", quote(cfg.Name.ValueString()), bifrost.Plural(len(all), "plugin")))
		return
	}
	m, diags := flattenData(p)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
}

// NewPluginsDataSource returns the bifrost_plugins data source.
func NewPluginsDataSource() datasource.DataSource {
	return &governance.ManyDataSource[bifrost.Plugin, pluginDataModel]{
		Kind: kind, TypeSuffix: "_plugins", Flatten: governance.Plain(flattenData),
		Description: "Lists the plugins stored in Bifrost's configuration, optionally those whose name matches a regular expression.",
		List:        "plugins", Selected: "plugins", ListDescription: "The selected plugins, in Bifrost's order.",
		Element: dataAttributes(schema.StringAttribute{Computed: true, MarkdownDescription: "The plugin's name."}),
		IDs:     "names",
	}
}
