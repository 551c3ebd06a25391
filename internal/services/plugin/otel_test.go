package plugin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The test collectors are on loopback: nothing is sent to them (the
// emulator loads no plugin, and a real Bifrost's exporter only logs a
// failed export).
const (
	otelToken = "Bearer otel-token-0123456789abcdef"
	otelHTTP  = `
  enabled = false
  otel_config = {
    collector_url = "http://127.0.0.1:4318/v1/traces"
    trace_type    = "genai_extension"
    protocol      = "http"
    service_name  = "gateway"
    headers       = { Authorization = "` + otelToken + `" }
  }`
	otelGRPC = `
  enabled = false
  otel_config = {
    collector_url         = "127.0.0.1:4317"
    trace_type            = "genai_extension"
    protocol              = "grpc"
    service_name          = "gateway"
    headers               = { Authorization = "` + otelToken + `" }
    insecure              = true
    metrics_enabled       = true
    metrics_endpoint      = "127.0.0.1:4317"
    metrics_push_interval = 30
  }`
)

// otelGRPCStored is what otelGRPC sends.
func otelGRPCStored() map[string]any {
	return map[string]any{"collector_url": "127.0.0.1:4317", "trace_type": "genai_extension", "protocol": "grpc",
		"service_name": "gateway", "headers": map[string]any{"Authorization": otelToken}, "insecure": true,
		"metrics_enabled": true, "metrics_endpoint": "127.0.0.1:4317", "metrics_push_interval": 30.0}
}

// setOtel stores config as the otel plugin's, out of band.
func setOtel(t *testing.T, tg *acctest.Target, config string) {
	t.Helper()
	if _, err := tg.Client.UpdatePlugin(acctest.Ctx(t), "otel", bifrost.PluginUpdate{Config: json.RawMessage(config)}); err != nil {
		t.Fatal(err)
	}
}

// TestAccPlugin_otelConfig: the typed otel config is sent as the single
// collector object Bifrost v1.5.1 documents, with sensitive headers;
// updated field by field; read back unchanged from the profiles form a
// newer otel plugin stores (defaults filled in, the header masked); a field
// changed outside Terraform is shown and written back; imported typed.
func TestAccPlugin_otelConfig(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		const name = "otel"
		t.Cleanup(func() { _ = tg.Client.DeletePlugin(acctest.Ctx(t), name) })
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: pluginConfig(tg, name, otelHTTP),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{sensitiveIn("otel_config", "headers")},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("config"), knownvalue.Null()),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("otel_config").AtMapKey("insecure"), knownvalue.Null()),
					},
					Check: expectStored(t, tg, name, map[string]any{"collector_url": "http://127.0.0.1:4318/v1/traces",
						"trace_type": "genai_extension", "protocol": "http", "service_name": "gateway",
						"headers": map[string]any{"Authorization": otelToken}}),
				},
				{
					Config: pluginConfig(tg, name, otelGRPC),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "otel_config.collector_url", "otel_config.protocol",
							"otel_config.insecure", "otel_config.metrics_enabled", "otel_config.metrics_endpoint", "otel_config.metrics_push_interval")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: expectStored(t, tg, name, otelGRPCStored()),
				},
				{
					// A newer otel plugin stores the collector as a profile,
					// with its defaults, and shows the header masked: the
					// same settings, no change.
					PreConfig: func() {
						setOtel(t, tg, `{"profiles":[{"enabled":true,"service_name":"gateway","collector_url":"127.0.0.1:4317",`+
							`"headers":{"Authorization":"`+bifrost.Mask(otelToken)+`"},"trace_type":"genai_extension","protocol":"grpc",`+
							`"insecure":true,"metrics_enabled":true,"metrics_endpoint":"127.0.0.1:4317","metrics_push_interval":30,`+
							`"disable_content_logging":false}]}`)
					},
					Config: pluginConfig(tg, name, otelGRPC),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				{
					// Changed outside Terraform, in the single-collector form.
					PreConfig: func() {
						changed := otelGRPCStored()
						changed["collector_url"], changed["trace_type"] = "127.0.0.1:14317", "open_inference"
						b, _ := json.Marshal(changed)
						setOtel(t, tg, string(b))
					},
					Config: pluginConfig(tg, name, otelGRPC),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "otel_config.collector_url", "otel_config.trace_type")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: expectStored(t, tg, name, otelGRPCStored()),
				},
				{
					Config: pluginConfig(tg, name, otelGRPC), ResourceName: addr, ImportState: true,
					ImportStateId: name, ImportStateVerify: true,
				},
			},
		})
	})
}

// TestAccPlugin_otelConfigUnshown: settings otel_config has no attribute
// for (a second profile, a span filter) are warned of on every plan,
// naming them, without quoting the config.
func TestAccPlugin_otelConfigUnshown(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	t.Cleanup(func() { _ = tg.Client.DeletePlugin(acctest.Ctx(t), "otel") })
	cli := acctest.NewCLI(t)
	cli.Write("main.tf", pluginConfig(tg, "otel", `
  enabled     = false
  otel_config = { collector_url = "http://127.0.0.1:4318/v1/traces", trace_type = "genai_extension", protocol = "http" }`))
	cli.Run("apply", "-auto-approve", "-no-color")
	profile := `{"enabled":true,"service_name":"","collector_url":"http://127.0.0.1:4318/v1/traces","trace_type":"genai_extension",` +
		`"protocol":"http","insecure":true,"metrics_enabled":false}`
	other := `{"collector_url":"http://127.0.0.2:4318/v1/traces","trace_type":"vercel","protocol":"http","headers":{"Authorization":"` + otelToken + `"}}`
	setOtel(t, tg, `{"profiles":[`+profile+`,`+other+`],"plugin_span_filter":{"mode":"include","spans":["llm.call"]}}`)
	out := strings.Join(strings.Fields(cli.Run("plan", "-no-color")), " ")
	for _, want := range []string{"Plugin config has settings otel_config cannot show",
		`Bifrost's config of plugin "otel" holds 2 profiles, plugin_span_filter, which otel_config has no attribute for`,
		"use config (JSON) instead of otel_config", "No changes."} {
		if !strings.Contains(out, want) {
			t.Errorf("plan output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, otelToken) || strings.Contains(out, "127.0.0.2") {
		t.Errorf("the warning quotes the config:\n%s", out)
	}
}

// sensitiveIn checks that the plan marks attribute attr.name sensitive.
func sensitiveIn(attr, name string) plancheck.PlanCheck { return nestedSensitive{attr, name} }

type nestedSensitive struct{ attr, name string }

func (c nestedSensitive) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != addr {
			continue
		}
		if m, ok := rc.Change.AfterSensitive.(map[string]any); ok {
			if mc, ok := m[c.attr].(map[string]any); ok && mc[c.name] != nil && mc[c.name] != false {
				return
			}
		}
		resp.Error = fmt.Errorf("%s.%s is not marked sensitive in the plan: %v", c.attr, c.name, rc.Change.AfterSensitive)
		return
	}
	resp.Error = fmt.Errorf("%s not in the plan", addr)
}

// TestOtelConfigBadInputs_providerServer: otel_config's plan-time
// diagnostics (text and attribute), none quoting a header.
func TestOtelConfigBadInputs_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	ps := acctest.NewProtocolServer(t, emu.URL())
	headersType := ps.ResourceType(typeName).(tftypes.Object).AttributeTypes["otel_config"].(tftypes.Object).AttributeTypes["headers"]
	headers := func(v string) tftypes.Value {
		return tftypes.NewValue(headersType, map[string]tftypes.Value{"Authorization": s(v)})
	}
	num := func(n int) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	boolean := func(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }
	otel := func(vals map[string]tftypes.Value) tftypes.Value {
		full := map[string]tftypes.Value{"collector_url": s("http://127.0.0.1:4318/v1/traces"), "trace_type": s("genai_extension"), "protocol": s("http")}
		for k, v := range vals {
			full[k] = v
		}
		return nested(ps, "otel_config", full)
	}
	with := func(k string, v tftypes.Value) map[string]tftypes.Value { return map[string]tftypes.Value{k: v} }
	errSev, warnSev := tfprotov6.DiagnosticSeverityError, tfprotov6.DiagnosticSeverityWarning
	for _, tc := range []struct {
		name     string
		plugin   string
		otel     map[string]tftypes.Value
		severity tfprotov6.DiagnosticSeverity
		path     string
		want     []string
	}{
		{name: "on another plugin", plugin: "maxim", otel: nil, severity: errSev, path: "otel_config",
			want: []string{"Typed config on another plugin", `otel_config is the configuration of the "otel" plugin only, and name is "maxim"`, "use maxim_config"}},
		{name: "trace type", otel: with("trace_type", s("zipkin")), severity: errSev, path: "otel_config.trace_type",
			want: []string{`value must be one of: ["genai_extension" "vercel" "open_inference"]`, `got: "zipkin"`}},
		{name: "protocol", otel: with("protocol", s("udp")), severity: errSev, path: "otel_config.protocol",
			want: []string{`value must be one of: ["http" "grpc"]`, `got: "udp"`}},
		{name: "collector url with spaces", otel: with("collector_url", s("otel collector")), severity: errSev, path: "otel_config.collector_url",
			want: []string{"Invalid OTLP endpoint", `"otel collector" is not an http(s) URL such as http://otel-collector:4318/v1/traces, or host:port`}},
		{name: "collector url of another scheme", otel: with("collector_url", s("ftp://collector/v1/traces")), severity: errSev, path: "otel_config.collector_url",
			want: []string{"Invalid OTLP endpoint", `"ftp://collector/v1/traces"`}},
		{name: "metrics endpoint without port", otel: map[string]tftypes.Value{"metrics_enabled": boolean(true), "metrics_endpoint": s("collector")},
			severity: errSev, path: "otel_config.metrics_endpoint", want: []string{"Invalid OTLP endpoint", `"collector" is not`}},
		{name: "push interval 0", otel: with("metrics_push_interval", num(0)), severity: errSev, path: "otel_config.metrics_push_interval",
			want: []string{"value must be between 1 and 300, got: 0"}},
		{name: "push interval 301", otel: with("metrics_push_interval", num(301)), severity: errSev, path: "otel_config.metrics_push_interval",
			want: []string{"value must be between 1 and 300, got: 301"}},
		{name: "metrics without endpoint", otel: with("metrics_enabled", boolean(true)), severity: errSev, path: "otel_config.metrics_endpoint",
			want: []string{"Missing metrics endpoint", "metrics_endpoint is required when metrics_enabled is true"}},
		{name: "masked header", otel: with("headers", headers(bifrost.Mask(otelToken))), severity: errSev, path: `otel_config\.headers\["Authorization"\]`,
			want: []string{"Header value is a mask", `header "Authorization"`, "Set the real value or an env.NAME reference"}},
		{name: "headers and headers_wo", otel: map[string]tftypes.Value{"headers": headers(otelToken), "headers_wo": headers(otelToken),
			"headers_wo_version": num(1)}, severity: errSev, path: "otel_config.headers",
			want: []string{"Invalid Attribute Combination", "cannot be specified when", "headers_wo"}},
		{name: "headers_wo without version", otel: with("headers_wo", headers(otelToken)), severity: errSev, path: "otel_config.headers_wo",
			want: []string{"Invalid Attribute Combination", "headers_wo_version"}},
		{name: "empty service name", otel: with("service_name", s("")), severity: errSev, path: "otel_config.service_name",
			want: []string{"string length must be at least 1"}},
		{name: "ca cert and insecure", otel: map[string]tftypes.Value{"tls_ca_cert": s("/etc/ssl/otel-ca.pem"), "insecure": boolean(true)},
			severity: warnSev, path: "otel_config.insecure", want: []string{"insecure is ignored", "ignores insecure = true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plugin := tc.plugin
			if plugin == "" {
				plugin = "otel"
			}
			diags := ps.PlanDiags(t, typeName, map[string]tftypes.Value{"name": s(plugin), "otel_config": otel(tc.otel)}, nil)
			acctest.ExpectOneDiagOn(t, diags, tc.severity, tc.path, tc.want...)
			if strings.Contains(acctest.RenderDiags(diags), "0123456789abcdef") {
				t.Errorf("a diagnostic quotes the header:%s", acctest.RenderDiags(diags))
			}
		})
	}
	valid := map[string]tftypes.Value{"name": s("otel"), "otel_config": otel(map[string]tftypes.Value{
		"collector_url": s("otel-collector:4317"), "protocol": s("grpc"), "headers": headers("env.OTEL_TOKEN"),
		"metrics_enabled": boolean(true), "metrics_endpoint": s("https://otel-collector:4318/v1/metrics"), "metrics_push_interval": num(300),
	})}
	if diags := ps.PlanDiags(t, typeName, valid, nil); len(diags) != 0 {
		t.Errorf("a valid otel_config got diagnostics:%s", acctest.RenderDiags(diags))
	}
}
