package plugin_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance/governancetest"
)

// The plan-time checks of bifrost_plugin, driven at the protocol level as
// Terraform drives them (validate, then plan), against an emulator: what a
// user sees (severity, attribute, text).

const typeName = "bifrost_plugin"

var s = governancetest.Str

// nested is a value of the resource's single nested attribute attr (ps
// serves the resource): vals, and null for the attributes it leaves out.
func nested(ps *acctest.ProtocolServer, attr string, vals map[string]tftypes.Value) tftypes.Value {
	ot := ps.ResourceType(typeName).(tftypes.Object).AttributeTypes[attr].(tftypes.Object)
	full := map[string]tftypes.Value{}
	for k, at := range ot.AttributeTypes {
		full[k] = tftypes.NewValue(at, nil)
	}
	for k, v := range vals {
		full[k] = v
	}
	return tftypes.NewValue(ot, full)
}

func TestBadInputs_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	if _, err := client.CreatePlugin(context.Background(), bifrost.PluginCreate{Name: "taken"}); err != nil {
		t.Fatal(err)
	}
	ps := acctest.NewProtocolServer(t, emu.URL())
	errSev, warnSev := tfprotov6.DiagnosticSeverityError, tfprotov6.DiagnosticSeverityWarning
	for _, tc := range []struct {
		name     string
		config   map[string]tftypes.Value
		severity tfprotov6.DiagnosticSeverity
		path     string
		want     []string
	}{
		{name: "empty name", config: map[string]tftypes.Value{"name": s("")}, severity: errSev,
			path: "name", want: []string{"Empty name", "Bifrost refuses a plugin without a name"}},
		{name: "slash in name", config: map[string]tftypes.Value{"name": s("a/b")}, severity: errSev,
			path: "name", want: []string{"Invalid plugin name", `name "a/b" contains "/"`}},
		{name: "spaces around name", config: map[string]tftypes.Value{"name": s(" otel")}, severity: errSev,
			path: "name", want: []string{"Invalid plugin name", "begins or ends with white space"}},
		{name: "config not JSON", config: map[string]tftypes.Value{"name": s("p"), "config": s(`{"api_key": "s3cret"`)}, severity: errSev,
			path: "config", want: []string{"Invalid plugin config", "config is not valid JSON"}},
		{name: "config an array", config: map[string]tftypes.Value{"name": s("p"), "config": s(`["s3cret"]`)}, severity: errSev,
			path: "config", want: []string{"Invalid plugin config", "not an object (it is an array)"}},
		{name: "config null JSON", config: map[string]tftypes.Value{"name": s("p"), "config": s(`null`)}, severity: errSev,
			path: "config", want: []string{"Invalid plugin config", "not an object (it is null)"}},
		{name: "bad placement", config: map[string]tftypes.Value{"name": s("p"), "placement": s("middle")}, severity: errSev,
			path: "placement", want: []string{"value must be one of", `got: "middle"`}},
		{name: "empty path", config: map[string]tftypes.Value{"name": s("p"), "path": s("")}, severity: errSev,
			path: "path", want: []string{"string length must be at least 1"}},
		{name: "path on a built-in", config: map[string]tftypes.Value{"name": s("otel"), "path": s("/x.so")}, severity: errSev,
			path: "path", want: []string{"Path on a built-in plugin", `"otel" is a built-in plugin`, "drops any path"}},
		{name: "create with a taken name", config: map[string]tftypes.Value{"name": s("taken")}, severity: warnSev,
			path: "name", want: []string{"Plugin already exists", "creating this one will fail", `terraform import bifrost_plugin.<name> "taken"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := ps.PlanDiags(t, typeName, tc.config, nil)
			acctest.ExpectOneDiagOn(t, diags, tc.severity, tc.path, tc.want...)
			if strings.Contains(acctest.RenderDiags(diags), "s3cret") {
				t.Errorf("a diagnostic quotes the config:%s", acctest.RenderDiags(diags))
			}
		})
	}
	// What passes: no diagnostics at all.
	if diags := ps.PlanDiags(t, typeName, map[string]tftypes.Value{"name": s("free"), "config": s(`{"a": [1, 2]}`),
		"path": s("/opt/free.so"), "placement": s("post_builtin"), "order": tftypes.NewValue(tftypes.Number, 3)}, nil); len(diags) != 0 {
		t.Errorf("a valid plugin got diagnostics:%s", acctest.RenderDiags(diags))
	}
	if diags := ps.PlanDiags(t, typeName, map[string]tftypes.Value{"name": s("maxim"), "config": s(`{}`)}, nil); len(diags) != 0 {
		t.Errorf("a built-in without path got diagnostics:%s", acctest.RenderDiags(diags))
	}
}

// TestEquivalentConfig_providerServer: a config written differently (key
// order, spacing, 1.0 for 1) plans the stored text: no change; a different
// one plans the new text.
func TestEquivalentConfig_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	ps := acctest.NewProtocolServer(t, emu.URL())
	typ := ps.ResourceType(typeName)
	prior := map[string]tftypes.Value{"id": s("p"), "name": s("p"), "enabled": tftypes.NewValue(tftypes.Bool, true),
		"config": s(`{"a":1,"b":{"c":"x"}}`), "is_custom": tftypes.NewValue(tftypes.Bool, true)}
	for cfg, want := range map[string]string{
		"{ \"b\": {\"c\": \"x\"},\n  \"a\": 1.0 }": `{"a":1,"b":{"c":"x"}}`,
		`{"a":2,"b":{"c":"x"}}`:                    `{"a":2,"b":{"c":"x"}}`,
	} {
		config := map[string]tftypes.Value{"name": s("p"), "config": s(cfg)}
		c := ps.Value(t, typ, config)
		merged := map[string]tftypes.Value{"id": prior["id"], "is_custom": prior["is_custom"], "enabled": prior["enabled"], "name": s("p"), "config": s(cfg)}
		proposed, pr := ps.Value(t, typ, merged), ps.Value(t, typ, prior)
		resp, err := ps.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, Config: &c, PriorState: &pr, ProposedNewState: &proposed,
		})
		if err != nil || acctest.HasErrors(resp.Diagnostics) {
			t.Fatalf("plan: %v%s", err, acctest.RenderDiags(resp.Diagnostics))
		}
		got := acctest.Str(t, acctest.Attrs(t, typ, resp.PlannedState)["config"])
		if got != want {
			t.Errorf("config %q planned as %q, want %q", cfg, got, want)
		}
	}
}

// The recorded bodies carry config as a JSON object, not a string.
func TestCreateBodyConfigIsObject(t *testing.T) {
	b, _ := json.Marshal(bifrost.PluginCreate{Name: "p", Config: json.RawMessage(`{"a":1}`)})
	if !strings.Contains(string(b), `"config":{"a":1}`) {
		t.Errorf("body %s", b)
	}
}
