package plugin

import (
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/tfvalidate"
)

// otelConfig is the otel plugin's config: one OTLP collector, as v1.5.1's
// transports/config.schema.json documents it. A newer otel plugin stores
// it as {"profiles": [collector], ...} with its defaults filled in
// (plugins/otel/main.go, MarshalForStorage), and still accepts this
// single-collector object: readOtel reads either.
var otelConfig = typedConfig{
	attr: "otel_config", plugin: "otel",
	fields: []typedField{
		{name: "service_name", kind: types.StringType, omitted: []any{""}},
		{name: "collector_url", kind: types.StringType},
		{name: "trace_type", kind: types.StringType},
		{name: "protocol", kind: types.StringType},
		{name: "headers", kind: stringMap, omitted: []any{map[string]any{}}},
		{name: "headers_wo", kind: stringMap}, {name: "headers_wo_version", kind: types.Int64Type},
		{name: "tls_ca_cert", kind: types.StringType, omitted: []any{""}},
		{name: "insecure", kind: types.BoolType, omitted: []any{true}},
		{name: "metrics_enabled", kind: types.BoolType, omitted: []any{false}},
		{name: "metrics_endpoint", kind: types.StringType, omitted: []any{""}},
		{name: "metrics_push_interval", kind: types.Int64Type, omitted: []any{0.0}},
	},
	read: readOtel,
	schema: schema.SingleNestedAttribute{
		Optional: true,
		MarkdownDescription: "The configuration of the `otel` plugin (OpenTelemetry traces and metrics to one OTLP collector), typed " +
			"(instead of `config`; only when `name` is `otel`). Sent as the same JSON object `config` would send. A Bifrost that stores " +
			"the collector as a list of `profiles` (newer otel plugins) is read back as the same settings; settings beyond these " +
			"(several profiles, span filters) are warned of, not shown: manage them with `config`.",
		Attributes: map[string]schema.Attribute{
			"collector_url": schema.StringAttribute{Required: true, Validators: []validator.String{endpointValidator},
				MarkdownDescription: "Where traces are sent (`collector_url`): a URL such as `http://otel-collector:4318/v1/traces` for " +
					"`protocol = \"http\"`, or `host:port` such as `otel-collector:4317` for `grpc`."},
			"trace_type": schema.StringAttribute{Required: true,
				Validators: []validator.String{stringvalidator.OneOf("genai_extension", "vercel", "open_inference")},
				MarkdownDescription: "The span format (`trace_type`): `genai_extension` (OpenTelemetry GenAI semantic conventions), " +
					"`vercel` or `open_inference`."},
			"protocol": schema.StringAttribute{Required: true, Validators: []validator.String{stringvalidator.OneOf("http", "grpc")},
				MarkdownDescription: "The OTLP transport (`protocol`): `http` or `grpc`."},
			"service_name": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "The `service.name` of the spans (`service_name`). Bifrost's default: `bifrost`."},
			"headers": schema.MapAttribute{Optional: true, Sensitive: true, ElementType: types.StringType,
				Validators: []validator.Map{mapvalidator.SizeAtLeast(1), mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
					mapvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("headers_wo"))},
				MarkdownDescription: "Headers sent to the collector (`headers`), e.g. an `Authorization` token; a value may be an " +
					"`env.NAME` reference that Bifrost resolves. Sensitive: Bifrost v1.5 returns them in clear. Conflicts with `headers_wo`."},
			"headers_wo": schema.MapAttribute{Optional: true, Sensitive: true, WriteOnly: true, ElementType: types.StringType,
				Validators: []validator.Map{mapvalidator.SizeAtLeast(1), mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
					mapvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("headers_wo_version"))},
				MarkdownDescription: "Write-only alternative to `headers` (Terraform ≥ 1.11): sent to Bifrost but never stored in the plan " +
					"or state. Change `headers_wo_version` to send new values. A change made outside Terraform is detected (only a SHA-256 " +
					"of the headers Bifrost shows is kept, in private state) and the plan writes `headers_wo` again."},
			"headers_wo_version": schema.Int64Attribute{Optional: true,
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRelative().AtParent().AtName("headers_wo"))},
				MarkdownDescription: "Version of `headers_wo`; change it to send new `headers_wo` to Bifrost."},
			"tls_ca_cert": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
				MarkdownDescription: "The path, on the Bifrost server, of a CA certificate to verify the collector with (`tls_ca_cert`)."},
			"insecure": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Whether to connect without TLS verification (`insecure`); ignored when `tls_ca_cert` is set. Left " +
					"out, Bifrost's default, which newer otel plugins set to `true`: set it to say which you mean."},
			"metrics_enabled": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Whether Bifrost also pushes its metrics over OTLP (`metrics_enabled`); needs `metrics_endpoint`. " +
					"Bifrost's default: `false`."},
			"metrics_endpoint": schema.StringAttribute{Optional: true, Validators: []validator.String{endpointValidator},
				MarkdownDescription: "Where metrics are pushed (`metrics_endpoint`): a URL such as " +
					"`http://otel-collector:4318/v1/metrics`, or `host:port` for `grpc`."},
			"metrics_push_interval": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(1, 300)},
				MarkdownDescription: "Seconds between metric pushes (`metrics_push_interval`), 1 to 300. Bifrost's default: 15."},
		},
	},
}

// otelDefaults are the members a newer otel plugin adds to each profile,
// with the value that means "as before": dropped when they have it.
var otelDefaults = map[string]any{
	"enabled": true, "request_headers": nil, "disable_content_logging": false, "group_traces_by_session": false,
}

// readOtel reads the otel config either as sent (one collector) or in the
// profiles form a newer otel plugin stores: one profile is the collector;
// more than one, a disabled one, a profile setting beyond the collector's
// or a span filter are named as unshown.
func readOtel(m map[string]any) (map[string]any, []string) {
	raw, wrapped := m["profiles"]
	if !wrapped {
		return m, nil
	}
	var unshown []string
	for k, v := range m {
		if k != "profiles" && v != nil {
			unshown = append(unshown, k)
		}
	}
	profiles, _ := raw.([]any)
	if len(profiles) != 1 {
		unshown = append(unshown, fmt.Sprintf("%d profiles", len(profiles)))
	}
	if len(profiles) == 0 {
		return map[string]any{}, unshown
	}
	first, _ := profiles[0].(map[string]any)
	out := make(map[string]any, len(first))
	for k, v := range first {
		def, extra := otelDefaults[k]
		switch {
		case !extra:
			out[k] = v
		case !isDefault(v, def):
			unshown = append(unshown, k)
		}
	}
	return out, unshown
}

// isDefault reports whether v means def: equal, or an empty list or
// string for none.
func isDefault(v, def any) bool {
	if def == nil {
		switch x := v.(type) {
		case nil:
			return true
		case []any:
			return len(x) == 0
		}
		return false
	}
	return reflect.DeepEqual(v, def)
}

// validateOtel checks what Bifrost's otel plugin refuses when it loads
// (too late for a plan: the create would store the plugin and fail to
// start it) and what must never be sent.
func validateOtel(m pluginModel, diags *diag.Diagnostics) {
	if m.OtelConfig.IsNull() || m.OtelConfig.IsUnknown() {
		return
	}
	a := m.OtelConfig.Attributes()
	p := path.Root("otel_config")
	enabled, _ := a["metrics_enabled"].(types.Bool)
	endpoint, _ := a["metrics_endpoint"].(types.String)
	if enabled.ValueBool() && endpoint.IsNull() {
		diags.AddAttributeError(p.AtName("metrics_endpoint"), "Missing metrics endpoint",
			"otel_config.metrics_enabled is true, and Bifrost's otel plugin refuses to load without metrics_endpoint "+
				"(\"metrics_endpoint is required when metrics_enabled is true\"): set metrics_endpoint, or metrics_enabled = false.")
	}
	ca, _ := a["tls_ca_cert"].(types.String)
	insecure, _ := a["insecure"].(types.Bool)
	if !ca.IsNull() && !ca.IsUnknown() && insecure.ValueBool() {
		diags.AddAttributeWarning(p.AtName("insecure"), "insecure is ignored",
			"otel_config sets tls_ca_cert, so Bifrost verifies the collector with it and ignores insecure = true.")
	}
	for _, name := range []string{"headers", "headers_wo"} {
		headers, _ := a[name].(types.Map)
		for _, k := range slices.Sorted(maps.Keys(headers.Elements())) {
			if s, ok := headers.Elements()[k].(types.String); ok && bifrost.LooksRedacted(s.ValueString()) {
				diags.AddAttributeError(p.AtName(name).AtMapKey(k), "Header value is a mask",
					fmt.Sprintf("The value of header %s has the form of the mask Bifrost shows for a secret (from an import or a "+
						"generated configuration): sending it would make the mask the header's value. Set the real value or an env.NAME reference.", quote(k)))
			}
		}
	}
}

// hostPort is the host:port form of an OTLP endpoint (gRPC).
var hostPort = regexp.MustCompile(`^[^:\s/]+:\d+$`)

// endpointDescription is what endpointValidator accepts.
const endpointDescription = "an http(s) URL such as http://otel-collector:4318/v1/traces, or host:port such as otel-collector:4317"

// endpointValidator requires an OTLP endpoint as Bifrost's config schema
// does: an http(s) URL with a host, or host:port.
var endpointValidator = tfvalidate.String(endpointDescription, func(s string, p path.Path, diags *diag.Diagnostics) {
	if hostPort.MatchString(s) {
		return
	}
	if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return
	}
	diags.AddAttributeError(p, "Invalid OTLP endpoint",
		fmt.Sprintf("%s is not %s.", quote(s), endpointDescription))
})
