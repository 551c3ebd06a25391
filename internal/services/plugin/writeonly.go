package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/providerdata"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

// The write-only secrets of a plugin: config_wo (the root config) and
// otel_config.headers_wo (a map), handled here, and maxim_config.api_key_wo
// (handled by internal/secret, through woModel).

// The private state keys of the fingerprints of what config_wo and
// otel_config.headers_wo wrote.
const (
	privateConfigFingerprint      = "config_wo_fingerprint"
	privateOtelHeadersFingerprint = "otel_headers_wo_fingerprint"
)

var (
	otelHeadersWO      = path.Root("otel_config").AtName("headers_wo")
	otelHeadersVersion = "headers_wo_version"
)

// configuredConfigWO reads config_wo from the configuration: it is never
// in the plan.
func configuredConfigWO(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) types.String {
	var wo types.String
	diags.Append(config.GetAttribute(ctx, path.Root("config_wo"), &wo)...)
	return wo
}

// configFingerprint identifies a config without storing it: the hex SHA-256
// of its canonical JSON (keys sorted, numbers as Bifrost decodes them);
// "" for no config.
func configFingerprint(raw json.RawMessage) string {
	if bifrost.PluginConfigEmpty(raw) {
		return ""
	}
	var v any
	canonical := []byte(raw)
	if json.Unmarshal(raw, &v) == nil {
		if b, err := json.Marshal(v); err == nil {
			canonical = b
		}
	}
	sum := sha256.Sum256(canonical)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// maximModel is maxim_config with its write-only api key, as internal/secret
// finds it (fields tagged X, X_wo, X_wo_version).
type maximModel struct {
	APIKey          types.String `tfsdk:"api_key"`
	APIKeyWO        types.String `tfsdk:"api_key_wo"`
	APIKeyWOVersion types.Int64  `tfsdk:"api_key_wo_version"`
	LogRepoID       types.String `tfsdk:"log_repo_id"`
}

// woModel holds the nested attributes of pluginModel that have write-only
// secrets, as structs (internal/secret walks structs, not objects).
type woModel struct {
	MaximConfig *maximModel `tfsdk:"maxim_config"`
}

// maximAnswer is the server's answer as internal/secret.At reads it: the
// api key of the maxim config.
type maximAnswer struct {
	MaximConfig *struct {
		APIKey bifrost.SecretVar `json:"api_key"`
	} `json:"maxim_config"`
}

func toWO(ctx context.Context, m pluginModel, diags *diag.Diagnostics) woModel {
	var w woModel
	if m.MaximConfig.IsNull() || m.MaximConfig.IsUnknown() {
		return w
	}
	w.MaximConfig = &maximModel{}
	diags.Append(m.MaximConfig.As(ctx, w.MaximConfig, basetypes.ObjectAsOptions{})...)
	return w
}

// fromWO sets the nested attributes of m from w.
func fromWO(ctx context.Context, m *pluginModel, w woModel, diags *diag.Diagnostics) {
	if w.MaximConfig == nil {
		return
	}
	t, _ := typedFor("maxim")
	v, d := types.ObjectValueFrom(ctx, t.attrTypes(), w.MaximConfig)
	diags.Append(d...)
	if !d.HasError() {
		m.MaximConfig = v
	}
}

func answerOf(p *bifrost.Plugin) maximAnswer {
	var a maximAnswer
	var m map[string]any
	if p == nil || json.Unmarshal(p.Config, &m) != nil {
		return a
	}
	if k, ok := m["api_key"].(string); ok {
		a.MaximConfig = &struct {
			APIKey bifrost.SecretVar `json:"api_key"`
		}{APIKey: bifrost.Literal(k)}
	}
	return a
}

// writeOnlyFromConfig copies the configured write-only secrets into plan,
// the model the request is built from. It returns the nested paths written
// (for keepWriteOnly).
func writeOnlyFromConfig(ctx context.Context, config tfsdk.Config, plan *pluginModel, diags *diag.Diagnostics) []path.Path {
	if wo := configuredConfigWO(ctx, config, diags); !wo.IsNull() && !wo.IsUnknown() {
		plan.Config = configOf(wo.ValueString())
	}
	if !plan.OtelConfig.IsNull() && !plan.OtelConfig.IsUnknown() {
		var wo types.Map
		diags.Append(config.GetAttribute(ctx, otelHeadersWO, &wo)...)
		if !wo.IsNull() && !wo.IsUnknown() {
			plan.OtelConfig = withAttr(plan.OtelConfig, "headers", wo)
		}
	}
	w := toWO(ctx, *plan, diags)
	written, d := secret.FromConfig(ctx, config, &w)
	diags.Append(d...)
	fromWO(ctx, plan, w, diags)
	return written
}

// keepWriteOnly fixes the write-only secrets of m, built from the server's
// answer, from prior (the plan or the state): config and the secrets
// configured write-only stay null, the versions stay prior's.
func keepWriteOnly(ctx context.Context, prior pluginModel, m *pluginModel, written []path.Path, diags *diag.Diagnostics) {
	m.ConfigWO = types.StringNull()
	m.ConfigWOVersion = prior.ConfigWOVersion
	if !m.ConfigWOVersion.IsNull() {
		m.Config = configNull()
	}
	pw, w := toWO(ctx, prior, diags), toWO(ctx, *m, diags)
	secret.KeepWriteOnly(&pw, &w, written)
	fromWO(ctx, m, w, diags)
	if !m.OtelConfig.IsNull() {
		version := types.Int64Null()
		if !prior.OtelConfig.IsNull() && !prior.OtelConfig.IsUnknown() {
			version, _ = prior.OtelConfig.Attributes()[otelHeadersVersion].(types.Int64)
		}
		m.OtelConfig = withAttr(m.OtelConfig, otelHeadersVersion, version)
		if !version.IsNull() {
			m.OtelConfig = withAttr(m.OtelConfig, "headers", types.MapNull(types.StringType))
		}
	}
}

// withAttr is the object o with attribute name set to v.
func withAttr(o types.Object, name string, v attr.Value) types.Object {
	attrs := maps.Clone(o.Attributes())
	attrs[name] = v
	return types.ObjectValueMust(o.AttributeTypes(context.Background()), attrs)
}

// otelHeadersVersionOf is otel_config.headers_wo_version of m (null when
// there is no otel_config).
func otelHeadersVersionOf(m pluginModel) types.Int64 {
	if m.OtelConfig.IsNull() || m.OtelConfig.IsUnknown() {
		return types.Int64Null()
	}
	v, _ := m.OtelConfig.Attributes()[otelHeadersVersion].(types.Int64)
	return v
}

// otelHeadersFingerprint identifies the otel headers Bifrost shows (in
// clear or masked) without storing them.
func otelHeadersFingerprint(got *bifrost.Plugin) string {
	m, _ := readTyped(otelConfig, got.Config)
	b, _ := json.Marshal(m["headers"]) // map keys sorted: canonical
	return configFingerprint(b)
}

// recordWrite keeps in private state the fingerprints of what the server
// holds for each secret of state written write-only (and drops the others).
func recordWrite(ctx context.Context, private providerdata.PrivateState, got *bifrost.Plugin, state pluginModel) diag.Diagnostics {
	var diags diag.Diagnostics
	var fp []byte
	if !state.ConfigWOVersion.IsNull() {
		fp, _ = json.Marshal(configFingerprint(got.Config))
	}
	diags.Append(private.SetKey(ctx, privateConfigFingerprint, fp)...)
	var hfp []byte
	if !otelHeadersVersionOf(state).IsNull() {
		hfp, _ = json.Marshal(otelHeadersFingerprint(got))
	}
	diags.Append(private.SetKey(ctx, privateOtelHeadersFingerprint, hfp)...)
	w := toWO(ctx, state, &diags)
	diags.Append(secret.RecordFingerprints(ctx, private, &w, answerOf(got))...)
	return diags
}

// checkDrift nulls, in state (read from the server), the version of each
// write-only secret the server no longer holds as written, so that the plan
// shows the change and writes it again.
func checkDrift(ctx context.Context, private providerdata.PrivateState, got *bifrost.Plugin, state *pluginModel, diags *diag.Diagnostics) {
	if !state.ConfigWOVersion.IsNull() {
		b, d := private.GetKey(ctx, privateConfigFingerprint)
		diags.Append(d...)
		var want string
		if len(b) > 0 && json.Unmarshal(b, &want) == nil && want != configFingerprint(got.Config) {
			diags.AddAttributeWarning(path.Root("config_wo_version"), "Plugin config changed outside Terraform",
				"The config of plugin "+quote(got.Name)+" in Bifrost is no longer the one written from config_wo. The plan writes config_wo again.")
			state.ConfigWOVersion = types.Int64Null()
		}
	}
	if !otelHeadersVersionOf(*state).IsNull() {
		b, d := private.GetKey(ctx, privateOtelHeadersFingerprint)
		diags.Append(d...)
		var want string
		if len(b) > 0 && json.Unmarshal(b, &want) == nil && want != otelHeadersFingerprint(got) {
			diags.AddAttributeWarning(otelHeadersWO, "Plugin secret changed outside Terraform",
				"The otel headers of plugin "+quote(got.Name)+" in Bifrost are no longer the ones written from otel_config.headers_wo. The plan writes them again.")
			state.OtelConfig = withAttr(state.OtelConfig, otelHeadersVersion, types.Int64Null())
		}
	}
	w := toWO(ctx, *state, diags)
	drifted, d := secret.CheckFingerprints(ctx, private, &w, answerOf(got))
	diags.Append(d...)
	for _, p := range drifted {
		diags.AddAttributeWarning(p, "Plugin secret changed outside Terraform",
			"The value of "+p.String()+" of plugin "+quote(got.Name)+" in Bifrost is no longer the one written from its write-only form. The plan writes it again.")
	}
	fromWO(ctx, state, w, diags)
}
