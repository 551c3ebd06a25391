package routingrule_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance/governancetest"
)

const typeName = "bifrost_routing_rule"

var (
	str = governancetest.Str
	num = governancetest.Num
)

// shapes builds targets and fallbacks values at the protocol level.
type shapes struct {
	targets tftypes.List
}

func newShapes(t *testing.T, ps *acctest.ProtocolServer) shapes {
	t.Helper()
	obj, ok := ps.ResourceType(typeName).(tftypes.Object)
	if !ok {
		t.Fatal("not an object")
	}
	l, ok := obj.AttributeTypes["targets"].(tftypes.List)
	if !ok {
		t.Fatal("targets is not a list")
	}
	return shapes{targets: l}
}

// tgt is one target: provider, model, key_id ("" for null) and weight.
type tgt struct {
	p, m, k string
	w       float64
}

func (s shapes) list(t *testing.T, ts ...tgt) tftypes.Value {
	t.Helper()
	var elems []tftypes.Value
	for _, x := range ts {
		attrs := map[string]tftypes.Value{"weight": num(x.w)}
		for k, v := range map[string]string{"provider": x.p, "model": x.m, "key_id": x.k} {
			if v == "-" {
				attrs[k] = str("")
			} else if v != "" {
				attrs[k] = str(v)
			}
		}
		elems = append(elems, acctest.ObjectValue(t, s.targets.ElementType, attrs))
	}
	return tftypes.NewValue(s.targets, elems)
}

func strList(ss ...string) tftypes.Value {
	var elems []tftypes.Value
	for _, s := range ss {
		elems = append(elems, str(s))
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}

// TestBadInputs_providerServer: each input Bifrost refuses (or stores but
// cannot use) is refused at plan time, on the attribute concerned.
func TestBadInputs_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	ctx := context.Background()
	team, err := client.CreateTeam(ctx, bifrost.TeamCreate{Name: "platform"})
	if err != nil {
		t.Fatal(err)
	}
	holder, err := client.CreateRoutingRule(ctx, bifrost.RoutingRuleCreate{Name: "holder", CelExpression: "true", Scope: "team", ScopeID: team.ID,
		Priority: 7, Targets: []bifrost.RoutingTarget{{Weight: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	ps := acctest.NewProtocolServer(t, emu.URL())
	s := newShapes(t, ps)
	one := s.list(t, tgt{p: "openai", w: 1})
	base := func(extra map[string]tftypes.Value) map[string]tftypes.Value {
		m := map[string]tftypes.Value{"name": str("r"), "cel_expression": str("model == 'gpt-4o'"), "targets": one, "priority": num(1)}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	plan := func(cfg map[string]tftypes.Value) []*tfprotov6.Diagnostic {
		return ps.PlanDiags(t, typeName, cfg, nil)
	}
	errSev := tfprotov6.DiagnosticSeverityError
	for _, tc := range []struct {
		name   string
		config map[string]tftypes.Value
		sev    tfprotov6.DiagnosticSeverity
		path   string
		want   []string
	}{
		{"empty name", base(map[string]tftypes.Value{"name": str("")}), errSev, "name", []string{"Empty name", "name field is required"}},
		{"bad CEL", base(map[string]tftypes.Value{"cel_expression": str("this is not cel((")}), errSev, "cel_expression",
			[]string{"Invalid CEL expression", "line 1, column 6", "mismatched input 'is'", "v2 refuses it"}},
		{"empty CEL", base(map[string]tftypes.Value{"cel_expression": str(" ")}), errSev, "cel_expression", []string{"Empty CEL expression", `"true"`}},
		{"no targets", base(map[string]tftypes.Value{"targets": s.list(t)}), errSev, "targets", []string{"No routing target", "at least one target"}},
		{"weights sum to 0.5", base(map[string]tftypes.Value{"targets": s.list(t, tgt{p: "openai", w: 0.5})}), errSev, "targets",
			[]string{"Target weights do not sum to 1", "sum to 0.5000"}},
		{"zero weight", base(map[string]tftypes.Value{"targets": s.list(t, tgt{p: "openai", w: 1}, tgt{p: "azure", w: 0})}), errSev, `targets\[1\]\.weight`,
			[]string{"Invalid target weight", "must be positive"}},
		{"key_id without provider", base(map[string]tftypes.Value{"targets": s.list(t, tgt{k: "k1", w: 1})}), errSev, `targets\[0\]\.key_id`,
			[]string{"Target key_id without provider", "key_id requires provider"}},
		{"duplicate target", base(map[string]tftypes.Value{"targets": s.list(t, tgt{p: "openai", m: "GPT-4o", w: 0.5}, tgt{p: "OpenAI", m: "gpt-4o", w: 0.5})}),
			errSev, `targets\[1\]`, []string{"Duplicate routing target", "targets[0] and targets[1]"}},
		{"empty model", base(map[string]tftypes.Value{"targets": s.list(t, tgt{p: "openai", m: "-", w: 1})}), errSev, `targets\[0\]\.model`,
			[]string{"Empty target model", "omit model"}},
		{"empty fallback", base(map[string]tftypes.Value{"fallbacks": strList("openai/gpt-4o", "")}), errSev, `fallbacks\[1\]`, []string{"Empty fallback"}},
		{"fallback without provider", base(map[string]tftypes.Value{"fallbacks": strList("gpt-4o-mini")}), errSev, `fallbacks\[0\]`,
			[]string{"Invalid fallback", "known provider prefix"}},
		{"v2 provider in a fallback on v1.5.1", base(map[string]tftypes.Value{"fallbacks": strList("deepseek/deepseek-chat")}), errSev, `fallbacks\[0\]`,
			[]string{"Invalid fallback", "Bifrost v1.5.1 (this server) does not know"}},
		{"bad scope", base(map[string]tftypes.Value{"scope": str("org")}), errSev, "scope", []string{"Invalid scope", "global, team, customer, virtual_key"}},
		{"team scope without id", base(map[string]tftypes.Value{"scope": str("team")}), errSev, "scope_id", []string{"Missing scope_id", "name the team"}},
		{"scope_id on a global rule", base(map[string]tftypes.Value{"scope_id": str(team.ID)}), errSev, "scope_id", []string{"scope_id on a global rule"}},
		{"unknown team", base(map[string]tftypes.Value{"scope": str("team"), "scope_id": str("nope")}), errSev, "scope_id",
			[]string{"Team not found", `no team with id "nope"`}},
		{"unknown key", base(map[string]tftypes.Value{"targets": s.list(t, tgt{p: "openai", k: "no-such-key", w: 1})}), errSev, `targets\[0\]\.key_id`,
			[]string{"Provider key not found", `no key "no-such-key" of provider "openai"`}},
		{"priority taken", base(map[string]tftypes.Value{"scope": str("team"), "scope_id": str(team.ID), "priority": num(7)}), errSev, "priority",
			[]string{"Routing rule priority taken", `Routing rule "holder" (id ` + holder.ID + ")", `routing rule "r"`, "already has priority 7"}},
		{"CEL that does not compile on v1.5.1", base(map[string]tftypes.Value{"cel_expression": str("nosuchvar == 1")}), tfprotov6.DiagnosticSeverityWarning,
			"cel_expression", []string{"CEL expression does not compile", "undeclared reference to 'nosuchvar'"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.ExpectOneDiagOn(t, plan(tc.config), tc.sev, tc.path, tc.want...)
		})
	}
	// What passes: no diagnostics at all.
	good := base(map[string]tftypes.Value{"targets": s.list(t, tgt{p: "openai", m: "gpt-4o", w: 0.8}, tgt{p: "azure", w: 0.2}),
		"fallbacks": strList("openai/gpt-4o-mini", "azure/"), "scope": str("team"), "scope_id": str(team.ID), "priority": num(8),
		"cel_expression": str(`model == "gpt-4o" && headers["x-tier"] == "premium"`)})
	if diags := plan(good); len(diags) != 0 {
		t.Errorf("a valid rule got diagnostics:%s", acctest.RenderDiags(diags))
	}
}
