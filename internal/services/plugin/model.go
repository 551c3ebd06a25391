package plugin

import (
	"encoding/json"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// pluginModel is the resource's state.
type pluginModel struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	Enabled   types.Bool   `tfsdk:"enabled"`
	Config    configValue  `tfsdk:"config"`
	Path      types.String `tfsdk:"path"`
	Placement types.String `tfsdk:"placement"`
	Order     types.Int64  `tfsdk:"order"`
	IsCustom  types.Bool   `tfsdk:"is_custom"`
}

func quote(s string) string { return strconv.Quote(s) }

// rawConfig is the config to send: nil (none) when null.
func rawConfig(v configValue) json.RawMessage {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return json.RawMessage(v.ValueString())
}

func expandCreate(m pluginModel) bifrost.PluginCreate {
	return bifrost.PluginCreate{
		Name: m.Name.ValueString(), Enabled: m.Enabled.ValueBool(), Config: rawConfig(m.Config),
		Path: m.Path.ValueStringPointer(), Placement: m.Placement.ValueStringPointer(), Order: m.Order.ValueInt64Pointer(),
	}
}

// expandUpdate is the whole plugin: Bifrost's update is a full replacement.
func expandUpdate(m pluginModel) bifrost.PluginUpdate {
	return bifrost.PluginUpdate{
		Enabled: m.Enabled.ValueBool(), Config: rawConfig(m.Config),
		Path: m.Path.ValueStringPointer(), Placement: m.Placement.ValueStringPointer(), Order: m.Order.ValueInt64Pointer(),
	}
}

// flattenConfig is the stored config as prior (the plan or the state)
// would say it: prior's text when it means the same, null or prior's empty
// object when the server holds none (absent, null or {}), else the
// server's text.
func flattenConfig(raw json.RawMessage, prior configValue) configValue {
	known := !prior.IsNull() && !prior.IsUnknown()
	if bifrost.PluginConfigEmpty(raw) {
		if known && sameJSON(prior.ValueString(), "{}") {
			return prior
		}
		if !known {
			return configNull()
		}
		return configOf("{}")
	}
	if known && sameJSON(prior.ValueString(), string(raw)) {
		return prior
	}
	return configOf(string(raw))
}

// flatten is p as state, over prior (the plan, or the state for a read).
func flatten(p *bifrost.Plugin, prior pluginModel) pluginModel {
	return pluginModel{
		ID: types.StringValue(p.Name), Name: types.StringValue(p.Name), Enabled: types.BoolValue(p.Enabled),
		Config: flattenConfig(p.Config, prior.Config), Path: types.StringPointerValue(p.Path),
		Placement: types.StringPointerValue(p.Placement), Order: types.Int64PointerValue(p.Order),
		IsCustom: types.BoolValue(p.IsCustom),
	}
}
