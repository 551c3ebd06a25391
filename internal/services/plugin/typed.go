package plugin

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

// The typed configs of the built-in plugins whose configuration Bifrost
// documents (the Config structs of plugins/maxim/main.go and
// plugins/semanticcache/main.go, and the otel config of
// transports/config.schema.json, v1.5.1). Each is an alternative to the raw
// config: it is sent as the same JSON object (only the fields that are set),
// and read back field by field, so a change made outside Terraform shows on
// the field; what the fields cannot show is warned of (see warnUnshown).

// typedField is one field of a typed config: its attribute (and JSON key)
// and kind.
type typedField struct {
	name string
	kind attr.Type
	// omitted are the values a server answers for the field when it was not
	// sent (a default it stores): read as null while the field is not
	// configured.
	omitted []any
}

// stringMap is the kind of a field holding a JSON object of strings.
var stringMap = types.MapType{ElemType: types.StringType}

// typedConfig is one built-in's typed config attribute.
type typedConfig struct {
	attr   string // e.g. "maxim_config"
	plugin string // the built-in's name
	fields []typedField
	schema schema.SingleNestedAttribute
	// read, when set, turns the server's config into the object the fields
	// describe (another shape a newer Bifrost stores it in), naming what of
	// it they cannot show.
	read func(map[string]any) (map[string]any, []string)
}

func (t typedConfig) attrTypes() map[string]attr.Type {
	m := make(map[string]attr.Type, len(t.fields))
	for _, f := range t.fields {
		m[f.name] = f.kind
	}
	return m
}

func (t typedConfig) null() types.Object { return types.ObjectNull(t.attrTypes()) }

// apiKeyWODetection is the drift note of maxim_config.api_key_wo.
const apiKeyWODetection = "A change made outside Terraform is detected (Bifrost returns the key in clear; only its SHA-256 is kept, " +
	"in private state) and the plan writes `api_key_wo` again."

var typedConfigs = []typedConfig{
	{
		attr: "maxim_config", plugin: "maxim",
		fields: []typedField{
			{name: "api_key", kind: types.StringType}, {name: "api_key_wo", kind: types.StringType}, {name: "api_key_wo_version", kind: types.Int64Type},
			{name: "log_repo_id", kind: types.StringType},
		},
		schema: schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "The configuration of the `maxim` plugin, typed (instead of `config`; only when `name` is `maxim`). " +
				"Sent as the same JSON object `config` would send.",
			Attributes: secret.Merge(secret.WriteOnlyAttributes("api_key", schema.StringAttribute{
				Optional: true, Sensitive: true,
				MarkdownDescription: "The Maxim API key (`api_key`). Bifrost stores and returns it in clear. Required unless `api_key_wo` is set.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			}, apiKeyWODetection), map[string]schema.Attribute{
				"log_repo_id": schema.StringAttribute{
					Optional:            true,
					MarkdownDescription: "The default Maxim log repository (`log_repo_id`); a request may name another with the `x-bf-maxim-log-repo-id` header.",
					Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				},
			}),
		},
	},
	otelConfig,
	{
		attr: "semantic_cache_config", plugin: "semantic_cache",
		fields: []typedField{
			{name: "provider", kind: types.StringType}, {name: "embedding_model", kind: types.StringType}, {name: "dimension", kind: types.Int64Type},
			{name: "ttl", kind: types.StringType}, {name: "threshold", kind: types.Float64Type}, {name: "vector_store_namespace", kind: types.StringType},
			{name: "cleanup_on_shutdown", kind: types.BoolType}, {name: "default_cache_key", kind: types.StringType},
			{name: "conversation_history_threshold", kind: types.Int64Type}, {name: "cache_by_model", kind: types.BoolType},
			{name: "cache_by_provider", kind: types.BoolType}, {name: "exclude_system_prompt", kind: types.BoolType},
		},
		schema: schema.SingleNestedAttribute{
			Optional: true,
			MarkdownDescription: "The configuration of the `semantic_cache` plugin, typed (instead of `config`; only when `name` is " +
				"`semantic_cache`). Sent as the same JSON object `config` would send; fields left out take Bifrost's defaults.",
			Attributes: map[string]schema.Attribute{
				"provider": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					MarkdownDescription: "The provider of the embedding model (`provider`), e.g. `openai`. Left out, only direct (exact) matches are cached."},
				"embedding_model": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					MarkdownDescription: "The embedding model (`embedding_model`)."},
				"dimension": schema.Int64Attribute{Required: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
					MarkdownDescription: "The dimension of the embeddings in the vector store (`dimension`); `1` with no provider is direct-only mode."},
				"ttl": schema.StringAttribute{Optional: true, Validators: []validator.String{durationValidator},
					MarkdownDescription: "How long a cached response lives (`ttl`): a Go duration such as `5m` or `1h30m`. Bifrost's default: `5m`."},
				"threshold": schema.Float64Attribute{Optional: true, Validators: []validator.Float64{float64validator.Between(0, 1)},
					MarkdownDescription: "The cosine similarity from which a cached response matches (`threshold`), between 0 and 1. Bifrost's default: 0.8."},
				"vector_store_namespace": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					MarkdownDescription: "The vector store namespace (`vector_store_namespace`). Bifrost's default: `BifrostSemanticCachePlugin`."},
				"cleanup_on_shutdown": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Whether Bifrost empties the cache when it shuts down (`cleanup_on_shutdown`). Bifrost's default: `false`."},
				"default_cache_key": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
					MarkdownDescription: "The cache key of requests that give none (`default_cache_key`). Left out, such requests are not cached."},
				"conversation_history_threshold": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)},
					MarkdownDescription: "Requests with more messages than this are not cached (`conversation_history_threshold`). Bifrost's default: 3."},
				"cache_by_model": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Whether the model is part of the cache key (`cache_by_model`). Bifrost's default: `true`."},
				"cache_by_provider": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Whether the provider is part of the cache key (`cache_by_provider`). Bifrost's default: `true`."},
				"exclude_system_prompt": schema.BoolAttribute{Optional: true,
					MarkdownDescription: "Whether the system prompt is left out of the cache key (`exclude_system_prompt`). Bifrost's default: `false`."},
			},
		},
	},
}

// typedFor is the typed config of the built-in name, if it has one.
func typedFor(name string) (typedConfig, bool) {
	for _, t := range typedConfigs {
		if t.plugin == name {
			return t, true
		}
	}
	return typedConfig{}, false
}

// typedSchemas are the typed config attributes of the resource's schema.
func typedSchemas() map[string]schema.Attribute {
	m := map[string]schema.Attribute{}
	for _, t := range typedConfigs {
		m[t.attr] = t.schema
	}
	return m
}

// typedValue is the typed config attribute t of m.
func typedValue(m pluginModel, t typedConfig) types.Object {
	switch t.attr {
	case "maxim_config":
		return m.MaximConfig
	case "semantic_cache_config":
		return m.SemanticCacheConfig
	case "otel_config":
		return m.OtelConfig
	}
	return t.null()
}

func setTyped(m *pluginModel, t typedConfig, v types.Object) {
	switch t.attr {
	case "maxim_config":
		m.MaximConfig = v
	case "semantic_cache_config":
		m.SemanticCacheConfig = v
	case "otel_config":
		m.OtelConfig = v
	}
}

// validateTyped refuses a typed config on another plugin, next to config,
// or next to another typed config.
func validateTyped(m pluginModel, diags *diag.Diagnostics) {
	validateMaximKey(m, diags)
	validateOtel(m, diags)
	var set []typedConfig
	for _, t := range typedConfigs {
		if v := typedValue(m, t); !v.IsNull() {
			set = append(set, t)
		}
	}
	if len(set) == 0 {
		return
	}
	allowed := make([]string, 0, len(typedConfigs))
	for _, t := range typedConfigs {
		allowed = append(allowed, fmt.Sprintf("%s (name = %q)", t.attr, t.plugin))
	}
	sort.Strings(allowed)
	for _, t := range set {
		p := path.Root(t.attr)
		if !m.Config.IsNull() {
			diags.AddAttributeError(p, "Conflicting plugin configs",
				fmt.Sprintf("%s and config are both set: give the plugin's configuration once, either typed (%s) or as JSON (config).", t.attr, t.attr))
			continue
		}
		if !m.ConfigWO.IsNull() {
			diags.AddAttributeError(p, "Conflicting plugin configs",
				fmt.Sprintf("%s and config_wo are both set: give the plugin's configuration once, either typed (%s) or as JSON (config_wo).", t.attr, t.attr))
			continue
		}
		if m.Name.IsUnknown() || m.Name.ValueString() == t.plugin {
			continue
		}
		hint := "it has no typed config: use config (JSON)."
		if other, ok := typedFor(m.Name.ValueString()); ok {
			hint = "use " + other.attr + " (or config)."
		}
		diags.AddAttributeError(p, "Typed config on another plugin",
			fmt.Sprintf("%s is the configuration of the %q plugin only, and name is %s: %s Typed configs: %s.",
				t.attr, t.plugin, quote(m.Name.ValueString()), hint, strings.Join(allowed, ", ")))
	}
}

// validateMaximKey requires maxim_config.api_key or api_key_wo (the
// schema cannot: api_key is optional for api_key_wo's sake).
func validateMaximKey(m pluginModel, diags *diag.Diagnostics) {
	if m.MaximConfig.IsNull() || m.MaximConfig.IsUnknown() {
		return
	}
	a := m.MaximConfig.Attributes()
	key, wo := a["api_key"], a["api_key_wo"]
	if key != nil && key.IsNull() && wo != nil && wo.IsNull() {
		diags.AddAttributeError(path.Root("maxim_config").AtName("api_key"), "Missing Maxim API key",
			"maxim_config needs the Maxim API key: set api_key, or api_key_wo (write-only) with api_key_wo_version.")
	}
}

// expandTyped is the JSON object of a known typed config: its set fields.
func expandTyped(t typedConfig, v types.Object) (json.RawMessage, diag.Diagnostics) {
	attrs := v.Attributes()
	out := map[string]any{}
	var diags diag.Diagnostics
	for _, f := range t.fields {
		a, ok := attrs[f.name]
		if !ok || a.IsNull() || a.IsUnknown() || secret.IsWriteOnlyCompanion(f.name) {
			continue
		}
		switch x := a.(type) {
		case types.String:
			out[f.name] = x.ValueString()
		case types.Int64:
			out[f.name] = x.ValueInt64()
		case types.Float64:
			out[f.name] = x.ValueFloat64()
		case types.Bool:
			out[f.name] = x.ValueBool()
		case types.Map:
			m := map[string]string{}
			for k, e := range x.Elements() {
				if str, ok := e.(types.String); ok && !str.IsNull() && !str.IsUnknown() {
					m[k] = str.ValueString()
				}
			}
			out[f.name] = m
		default:
			diags.AddError("Unexpected typed config value", fmt.Sprintf("%s.%s: %T", t.attr, f.name, a))
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		diags.AddError("Cannot encode the plugin config", err.Error())
	}
	return b, diags
}

// flattenTyped is the server's config as typed config t over prior (the
// plan or the state): each field from its key (null when absent), prior's
// value kept where it means the same (a duration written otherwise, a
// number of another spelling); null when the server holds no config.
func flattenTyped(t typedConfig, raw json.RawMessage, prior types.Object) types.Object {
	m, _ := readTyped(t, raw)
	if len(m) == 0 {
		return t.null()
	}
	var pa map[string]attr.Value
	importing := prior.IsNull() || prior.IsUnknown()
	if !importing {
		pa = prior.Attributes()
	}
	vals := make(map[string]attr.Value, len(t.fields))
	for _, f := range t.fields {
		p := pa[f.name]
		v, sent := m[f.name]
		if sent && (p == nil || p.IsNull()) && omitted(f, v, importing) {
			v = nil
		}
		vals[f.name] = fieldValue(f, v, p)
	}
	return types.ObjectValueMust(t.attrTypes(), vals)
}

// omitted reports whether v, the server's value of a field the
// configuration leaves out, is one it answers for a field not sent. An
// import shows what a configuration could set: every value but the empty
// ones ("", 0, {}), which no configuration can.
func omitted(f typedField, v any, importing bool) bool {
	if _, isBool := v.(bool); isBool && importing {
		return false
	}
	return slices.ContainsFunc(f.omitted, func(o any) bool { return reflect.DeepEqual(o, v) })
}

// readTyped is the server's config as t's fields describe it, and what of
// it they cannot show: members that are not fields, and what t.read
// names.
func readTyped(t typedConfig, raw json.RawMessage) (map[string]any, []string) {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil, nil
	}
	var unshown []string
	if t.read != nil {
		m, unshown = t.read(m)
	}
	for k := range m {
		if !slices.ContainsFunc(t.fields, func(f typedField) bool { return f.name == k }) {
			unshown = append(unshown, k)
		}
	}
	sort.Strings(unshown)
	return m, unshown
}

// fieldValue is the JSON value v of field f, prior's when the same.
func fieldValue(f typedField, v any, prior attr.Value) attr.Value {
	switch f.kind {
	case types.StringType:
		s, ok := v.(string)
		if f.name == "ttl" {
			if n, isNum := v.(float64); isNum { // seconds, as Bifrost also accepts
				s, ok = (time.Duration(n * float64(time.Second))).String(), true
			}
			if p, isStr := prior.(types.String); ok && isStr && !p.IsNull() && !p.IsUnknown() && sameDuration(p.ValueString(), s) {
				return p
			}
		}
		if !ok {
			if v != nil {
				b, _ := json.Marshal(v)
				return types.StringValue(string(b))
			}
			return types.StringNull()
		}
		return types.StringValue(s)
	case types.Int64Type:
		n, ok := v.(float64)
		if !ok || n != math.Trunc(n) {
			return types.Int64Null()
		}
		return types.Int64Value(int64(n))
	case types.Float64Type:
		n, ok := v.(float64)
		if !ok {
			return types.Float64Null()
		}
		if p, isF := prior.(types.Float64); isF && !p.IsNull() && !p.IsUnknown() && p.ValueFloat64() == n {
			return p
		}
		return types.Float64Value(n)
	case types.BoolType:
		b, ok := v.(bool)
		if !ok {
			return types.BoolNull()
		}
		return types.BoolValue(b)
	case stringMap:
		return mapValue(v, prior)
	}
	return nil
}

// mapValue is the JSON object v as a map of strings, each value read as
// secret.State reads a secret (a newer Bifrost masks literal header
// values): prior's value where the answer is it or its mask. Null for no
// object or an empty one.
func mapValue(v any, prior attr.Value) attr.Value {
	obj, ok := v.(map[string]any)
	if !ok || len(obj) == 0 {
		return types.MapNull(types.StringType)
	}
	var known map[string]attr.Value
	if p, isMap := prior.(types.Map); isMap && !p.IsNull() && !p.IsUnknown() {
		known = p.Elements()
	}
	elems := make(map[string]attr.Value, len(obj))
	for k, e := range obj {
		s, isStr := e.(string)
		if !isStr {
			b, _ := json.Marshal(e)
			s = string(b)
		}
		k0, _ := known[k].(types.String)
		got := bifrost.Literal(s)
		if st := secret.State(k0, &got); !st.IsNull() {
			elems[k] = st
		} else {
			elems[k] = types.StringValue(s)
		}
	}
	return types.MapValueMust(types.StringType, elems)
}

func sameDuration(a, b string) bool {
	x, err1 := time.ParseDuration(a)
	y, err2 := time.ParseDuration(b)
	return err1 == nil && err2 == nil && x == y
}

// fitsTyped reports whether the server's config is made only of t's
// fields (on import: typed when nothing is lost).
func fitsTyped(t typedConfig, raw json.RawMessage) bool {
	m, unshown := readTyped(t, raw)
	return len(m) > 0 && len(unshown) == 0
}

// warnUnshown warns that the server's config of t holds what t's fields
// cannot show (a change there is not planned).
func warnUnshown(t typedConfig, name string, raw json.RawMessage, diags *diag.Diagnostics) {
	if _, unshown := readTyped(t, raw); len(unshown) > 0 {
		diags.AddAttributeWarning(path.Root(t.attr), "Plugin config has settings "+t.attr+" cannot show",
			fmt.Sprintf("Bifrost's config of plugin %s holds %s, which %s has no attribute for: Terraform does not show or plan "+
				"changes to it, and the next write of %s replaces it. To manage the whole config, use config (JSON) instead of %s.",
				quote(name), strings.Join(unshown, ", "), t.attr, t.attr, t.attr))
	}
}

// durationValidator requires a Go duration ("5m", "1h30m") greater than 0.
var durationValidator = tfvalidate.String("a duration such as 30s, 5m or 1h30m", func(s string, p path.Path, diags *diag.Diagnostics) {
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		diags.AddAttributeError(p, "Invalid duration",
			fmt.Sprintf("%s is not a duration: write a number with a unit, such as 30s, 5m or 1h30m (Go's time.ParseDuration).", quote(s)))
	case d <= 0:
		diags.AddAttributeError(p, "Invalid duration",
			fmt.Sprintf("%s is not greater than zero: Bifrost would use its default (5m) instead.", quote(s)))
	}
})
