package plugin

import (
	"encoding/json"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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

	// Write-only form of config: never in the plan or state (see
	// writeonly.go).
	ConfigWO        types.String `tfsdk:"config_wo"`
	ConfigWOVersion types.Int64  `tfsdk:"config_wo_version"`

	MaximConfig         types.Object `tfsdk:"maxim_config"`
	SemanticCacheConfig types.Object `tfsdk:"semantic_cache_config"`
	OtelConfig          types.Object `tfsdk:"otel_config"`
}

func quote(s string) string { return strconv.Quote(s) }

// rawConfig is the config to send: the typed config when one is set, else
// config; nil (none) when neither is.
func rawConfig(m pluginModel, diags *diag.Diagnostics) json.RawMessage {
	for _, t := range typedConfigs {
		if v := typedValue(m, t); !v.IsNull() && !v.IsUnknown() {
			b, d := expandTyped(t, v)
			diags.Append(d...)
			return b
		}
	}
	if m.Config.IsNull() || m.Config.IsUnknown() {
		return nil
	}
	return json.RawMessage(m.Config.ValueString())
}

func expandCreate(m pluginModel, diags *diag.Diagnostics) bifrost.PluginCreate {
	return bifrost.PluginCreate{
		Name: m.Name.ValueString(), Enabled: m.Enabled.ValueBool(), Config: rawConfig(m, diags),
		Path: m.Path.ValueStringPointer(), Placement: m.Placement.ValueStringPointer(), Order: m.Order.ValueInt64Pointer(),
	}
}

// expandUpdate is the whole plugin: Bifrost's update is a full replacement.
func expandUpdate(m pluginModel, diags *diag.Diagnostics) bifrost.PluginUpdate {
	return bifrost.PluginUpdate{
		Enabled: m.Enabled.ValueBool(), Config: rawConfig(m, diags),
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
// The config goes where prior had it: into the typed config prior had (or,
// on import, into the built-in's typed config when it holds only its
// fields), else into config.
func flatten(p *bifrost.Plugin, prior pluginModel) pluginModel {
	m := pluginModel{
		ID: types.StringValue(p.Name), Name: types.StringValue(p.Name), Enabled: types.BoolValue(p.Enabled),
		Config: configNull(), Path: types.StringPointerValue(p.Path),
		Placement: types.StringPointerValue(p.Placement), Order: types.Int64PointerValue(p.Order),
		IsCustom: types.BoolValue(p.IsCustom),
	}
	for _, t := range typedConfigs {
		setTyped(&m, t, t.null())
	}
	importing := prior.Enabled.IsNull() && prior.Config.IsNull()
	for _, t := range typedConfigs {
		prev := typedValue(prior, t)
		if !prev.IsNull() || (importing && t.plugin == p.Name && fitsTyped(t, p.Config)) {
			setTyped(&m, t, flattenTyped(t, p.Config, prev))
			return m
		}
	}
	m.Config = flattenConfig(p.Config, prior.Config)
	return m
}
