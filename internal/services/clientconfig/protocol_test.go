package clientconfig_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// The plan-time checks and the warnings of bifrost_client_config, driven at
// the protocol level as Terraform drives them, against an emulator of each
// version: what a user sees (severity, attribute, text).

const typeName = "bifrost_client_config"

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func num(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }

func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

func strList(s ...string) tftypes.Value {
	vals := make([]tftypes.Value, len(s))
	for i, e := range s {
		vals[i] = str(e)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vals)
}

// emulatorServer starts an emulator of version and the provider configured
// for it.
func emulatorServer(t *testing.T, version string) (*emulator.Server, *acctest.ProtocolServer) {
	t.Helper()
	opts := emulator.Options{Version: version}
	attrs := map[string]tftypes.Value{}
	if strings.HasPrefix(version, "v2.") {
		opts.SetupToken = "config-setup-token-0123456789"
		attrs["setup_token"] = str(opts.SetupToken)
	}
	emu, _ := acctest.StartEmulator(t, opts)
	attrs["endpoint"] = str(emu.URL())
	ps, diags := acctest.ConfigureProtocolServer(t, attrs)
	if acctest.HasErrors(diags) {
		t.Fatalf("ConfigureProvider:%s", acctest.RenderDiags(diags))
	}
	return emu, ps
}

// headerFilter is a header_filter_config value.
func headerFilter(t *testing.T, ps *acctest.ProtocolServer, allow, deny tftypes.Value) tftypes.Value {
	t.Helper()
	typ := ps.ResourceType(typeName).(tftypes.Object).AttributeTypes["header_filter_config"]
	return acctest.ObjectValue(t, typ, map[string]tftypes.Value{"allowlist": allow, "denylist": deny})
}

func TestBadInputs_providerServer(t *testing.T) {
	for _, version := range acctest.Versions {
		t.Run(version, func(t *testing.T) {
			_, ps := emulatorServer(t, version)
			v2 := strings.HasPrefix(version, "v2.")
			errSev := tfprotov6.DiagnosticSeverityError
			type tc struct {
				name   string
				config map[string]tftypes.Value
				path   string
				want   []string
			}
			days := num(7)
			cases := []tc{
				{"log_retention_days 0", map[string]tftypes.Value{"log_retention_days": num(0)}, "log_retention_days",
					[]string{"Value below 1", "log_retention_days is 0: it must be at least 1", "log_retention_days must be at least 1"}},
				{"log_retention_days left to a fresh server's 0", map[string]tftypes.Value{"drop_excess_requests": boolean(true)}, "log_retention_days",
					[]string{"log_retention_days must be set", "reports log_retention_days = 0", "Set log_retention_days (at least 1)"}},
				{"initial_pool_size 0", map[string]tftypes.Value{"log_retention_days": days, "initial_pool_size": num(0)}, "initial_pool_size",
					[]string{"Value below 1", "initial_pool_size is 0", "Bifrost ignores a value below 1"}},
				{"mcp_agent_depth negative", map[string]tftypes.Value{"log_retention_days": days, "mcp_agent_depth": num(-2)}, "mcp_agent_depth",
					[]string{"Value below 1", "mcp_agent_depth is -2"}},
				{"unknown binding level", map[string]tftypes.Value{"log_retention_days": days, "mcp_code_mode_binding_level": str("global")},
					"mcp_code_mode_binding_level", []string{"Invalid value", `mcp_code_mode_binding_level is "global"`, `["server" "tool"]`}},
				{"security header", map[string]tftypes.Value{"log_retention_days": days,
					"header_filter_config": headerFilter(t, ps, strList("x-team"), strList("cookie"))},
					`header_filter_config\.denylist\[0\]`, []string{"Security header", `"cookie" is a security header`}},
				{"inner wildcard", map[string]tftypes.Value{"log_retention_days": days,
					"header_filter_config": headerFilter(t, ps, strList("x-team", "x-*-id"), tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil))},
					`header_filter_config\.allowlist\[1\]`, []string{"Invalid header pattern", `"x-*-id"`, "only at the end"}},
				{"upper-case header", map[string]tftypes.Value{"log_retention_days": days,
					"header_filter_config": headerFilter(t, ps, strList("X-Team"), strList())},
					`header_filter_config\.allowlist\[0\]`, []string{"Header name not as Bifrost stores it", `write it "x-team"`}},
			}
			if !v2 {
				cases = append(cases, tc{"v2-only setting on v1.5.1", map[string]tftypes.Value{"log_retention_days": days, "allow_direct_keys": boolean(true)},
					"allow_direct_keys", []string{"Not supported by this Bifrost version", "allow_direct_keys needs Bifrost ≥ 2.0", "runs v1.5.1"}})
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					acctest.ExpectOneDiagOn(t, ps.PlanDiags(t, typeName, c.config, nil), errSev, c.path, c.want...)
				})
			}
			// What passes: no diagnostics at all (v2-only settings on v2).
			ok := map[string]tftypes.Value{"log_retention_days": days, "initial_pool_size": num(1),
				"header_filter_config": headerFilter(t, ps, strList("x-team-*"), strList("x-internal"))}
			if v2 {
				ok["allow_direct_keys"] = boolean(true)
			}
			if diags := ps.PlanDiags(t, typeName, ok, nil); len(diags) != 0 {
				t.Errorf("a valid configuration got diagnostics:%s", acctest.RenderDiags(diags))
			}
		})
	}
}

// apply plans and applies config over prior (nil: create; a nil config:
// destroy), returning the new state and every diagnostic.
func apply(t *testing.T, ps *acctest.ProtocolServer, config, prior map[string]tftypes.Value) (map[string]tftypes.Value, []*tfprotov6.Diagnostic) {
	t.Helper()
	ctx := context.Background()
	typ := ps.ResourceType(typeName)
	null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	priorDV, cfg, proposed := null, null, null
	if prior != nil {
		priorDV = ps.Value(t, typ, prior)
	}
	if config != nil {
		cfg = ps.Value(t, typ, config)
		proposed = cfg
	}
	var diags []*tfprotov6.Diagnostic
	planned := &null
	if config != nil {
		p, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, Config: &cfg, PriorState: &priorDV, ProposedNewState: &proposed})
		if err != nil {
			t.Fatal(err)
		}
		if acctest.HasErrors(p.Diagnostics) {
			t.Fatalf("plan:%s", acctest.RenderDiags(p.Diagnostics))
		}
		diags, planned = append(diags, p.Diagnostics...), p.PlannedState
	}
	a, err := ps.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: typeName, Config: &cfg, PriorState: &priorDV, PlannedState: planned})
	if err != nil {
		t.Fatal(err)
	}
	diags = append(diags, a.Diagnostics...)
	if acctest.HasErrors(diags) {
		t.Fatalf("apply:%s", acctest.RenderDiags(diags))
	}
	if config == nil {
		return nil, diags
	}
	return acctest.Attrs(t, typ, a.NewState), diags
}

// A change of a restart-only setting shows Bifrost's restart_required
// after apply, as a warning naming the settings; a live change does not;
// destroy says that the settings stay.
func TestApplyWarnings_providerServer(t *testing.T) {
	for _, version := range acctest.Versions {
		t.Run(version, func(t *testing.T) {
			_, ps := emulatorServer(t, version)
			state, diags := apply(t, ps, map[string]tftypes.Value{"log_retention_days": num(3)}, nil)
			if len(diags) != 0 {
				t.Fatalf("a live change got diagnostics:%s", acctest.RenderDiags(diags))
			}
			state, diags = apply(t, ps, map[string]tftypes.Value{"log_retention_days": num(3), "initial_pool_size": num(6000)}, state)
			acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, "",
				[]string{"Bifrost needs a restart", "Initial pool size", "Until then it runs with the previous values"}, nil)
			var pool big.Float
			if err := state["initial_pool_size"].As(&pool); err != nil || pool.Cmp(big.NewFloat(6000)) != 0 {
				t.Errorf("initial_pool_size in the state: %s (%v)", pool.String(), err)
			}
			_, diags = apply(t, ps, nil, state)
			acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, "",
				[]string{"Client configuration left as it is", "Bifrost keeps its client settings as they are"}, nil)
		})
	}
}

// Import accepts only the fixed id.
func TestImportID_providerServer(t *testing.T) {
	_, ps := emulatorServer(t, "v1.5.1")
	resp, err := ps.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: "config"})
	if err != nil {
		t.Fatal(err)
	}
	acctest.ExpectOneDiag(t, resp.Diagnostics, tfprotov6.DiagnosticSeverityError, "",
		[]string{"Invalid import id", `imported with the id "client_config"; got "config"`}, nil)
}

// On create the settings left out are planned as the server has them (so
// the plan shows what will be kept), and a value known only after apply
// stays unknown.
func TestCreatePlan_providerServer(t *testing.T) {
	_, ps := emulatorServer(t, "v1.5.1")
	typ := ps.ResourceType(typeName)
	cfg := ps.Value(t, typ, map[string]tftypes.Value{"log_retention_days": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
		"compat": acctest.ObjectValue(t, typ.(tftypes.Object).AttributeTypes["compat"], map[string]tftypes.Value{"should_drop_params": boolean(true)})})
	null, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ps.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, Config: &cfg, PriorState: &null, ProposedNewState: &cfg})
	if err != nil || len(p.Diagnostics) != 0 {
		t.Fatalf("plan: %v%s", err, acctest.RenderDiags(p.Diagnostics))
	}
	planned := acctest.Attrs(t, typ, p.PlannedState)
	if planned["log_retention_days"].IsKnown() {
		t.Errorf("log_retention_days planned as %s, want unknown", planned["log_retention_days"])
	}
	var pool big.Float
	if err := planned["initial_pool_size"].As(&pool); err != nil || pool.Cmp(big.NewFloat(5000)) != 0 {
		t.Errorf("initial_pool_size planned as %s, want the server's 5000", planned["initial_pool_size"])
	}
	if id := acctest.Str(t, planned["id"]); id != "client_config" {
		t.Errorf("id planned as %q", id)
	}
	compat := map[string]tftypes.Value{}
	if err := planned["compat"].As(&compat); err != nil {
		t.Fatal(err)
	}
	var drop, text bool
	if err := compat["should_drop_params"].As(&drop); err != nil || !drop {
		t.Errorf("compat.should_drop_params planned as %s", compat["should_drop_params"])
	}
	if err := compat["convert_text_to_chat"].As(&text); err != nil || text {
		t.Errorf("compat.convert_text_to_chat planned as %s, want the server's false", compat["convert_text_to_chat"])
	}
}
