package routingrule_test

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// listed is the ids of results, in order.
func listedIDs(got []acctest.Listed) []string {
	ids := make([]string, 0, len(got))
	for _, l := range got {
		ids = append(ids, l.ID)
	}
	return ids
}

func sameIDs(got []acctest.Listed, want ...*bifrost.RoutingRule) bool {
	ids := listedIDs(got)
	if len(ids) != len(want) {
		return false
	}
	for i, r := range want {
		if ids[i] != r.ID {
			return false
		}
	}
	return true
}

// TestListResource_providerServer lists rules with each filter (scope,
// scope_id, name_regex, and together), with and without the resource
// objects, and with a limit; each result has the rule's id as identity and
// its name as display name.
func TestListResource_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	ctx := context.Background()
	teamA, err := client.CreateTeam(ctx, bifrost.TeamCreate{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	teamB, err := client.CreateTeam(ctx, bifrost.TeamCreate{Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	global := createRule(t, client, "alpha", "global", "", 1)
	ofA := createRule(t, client, "alpha-team", "team", teamA.ID, 2)
	ofB, err := client.CreateRoutingRule(ctx, bifrost.RoutingRuleCreate{Name: "beta", Description: "to azure", CelExpression: `model == "gpt-4o"`,
		Scope: "team", ScopeID: teamB.ID, Priority: 3, Fallbacks: []string{"openai/gpt-4o-mini"},
		Targets: []bifrost.RoutingTarget{{Provider: "azure", Model: "gpt-4o", Weight: 0.75}, {Provider: "openai", Weight: 0.25}}})
	if err != nil {
		t.Fatal(err)
	}
	ps := acctest.NewProtocolServer(t, emu.URL())
	list := func(attrs map[string]tftypes.Value, includeResource bool, limit int64) ([]acctest.Listed, []*tfprotov6.Diagnostic) {
		t.Helper()
		return ps.ListResource(t, typeName, attrs, includeResource, limit)
	}

	all, diags := list(nil, false, 0)
	if diags != nil || !sameIDs(all, global, ofA, ofB) || all[0].DisplayName != "alpha" || all[2].DisplayName != "beta" || all[0].Resource != nil {
		t.Fatalf("list all: %+v %s", all, acctest.RenderDiags(diags))
	}
	for label, tc := range map[string]struct {
		attrs map[string]tftypes.Value
		want  []*bifrost.RoutingRule
	}{
		"scope global":         {map[string]tftypes.Value{"scope": str("global")}, []*bifrost.RoutingRule{global}},
		"scope team":           {map[string]tftypes.Value{"scope": str("team")}, []*bifrost.RoutingRule{ofA, ofB}},
		"scope customer":       {map[string]tftypes.Value{"scope": str("customer")}, nil},
		"scope_id":             {map[string]tftypes.Value{"scope_id": str(teamB.ID)}, []*bifrost.RoutingRule{ofB}},
		"name_regex":           {map[string]tftypes.Value{"name_regex": str("^alpha")}, []*bifrost.RoutingRule{global, ofA}},
		"scope and name_regex": {map[string]tftypes.Value{"scope": str("team"), "name_regex": str("^alpha")}, []*bifrost.RoutingRule{ofA}},
		"scope_id of another":  {map[string]tftypes.Value{"scope_id": str(teamA.ID), "name_regex": str("beta")}, nil},
	} {
		t.Run(label, func(t *testing.T) {
			if got, diags := list(tc.attrs, false, 0); diags != nil || !sameIDs(got, tc.want...) {
				t.Errorf("got %v, want %d rules:%s", listedIDs(got), len(tc.want), acctest.RenderDiags(diags))
			}
		})
	}

	t.Run("include_resource", func(t *testing.T) {
		got, _ := list(map[string]tftypes.Value{"scope_id": str(teamB.ID)}, true, 0)
		if len(got) != 1 || got[0].DisplayName != "beta" || got[0].ID != ofB.ID || len(got[0].Diags) != 0 {
			t.Fatalf("scope_id %s: %+v", teamB.ID, got)
		}
		r := got[0].Resource
		for attr, want := range map[string]string{"id": ofB.ID, "name": "beta", "description": "to azure", "cel_expression": `model == "gpt-4o"`,
			"scope": "team", "scope_id": teamB.ID} {
			if g := acctest.Str(t, r[attr]); g != want {
				t.Errorf("%s = %q, want %q", attr, g, want)
			}
		}
		var targets []tftypes.Value
		if err := r["targets"].As(&targets); err != nil || len(targets) != 2 {
			t.Fatalf("targets %v: %v", r["targets"], err)
		}
		var second map[string]tftypes.Value
		if err := targets[1].As(&second); err != nil {
			t.Fatal(err)
		}
		if acctest.Str(t, second["provider"]) != "openai" || !second["model"].IsNull() || !second["key_id"].IsNull() {
			t.Errorf("targets[1] = %v, want openai with the request's model and no key", second)
		}
		var fallbacks []tftypes.Value
		if err := r["fallbacks"].As(&fallbacks); err != nil || len(fallbacks) != 1 || acctest.Str(t, fallbacks[0]) != "openai/gpt-4o-mini" {
			t.Errorf("fallbacks = %v (%v)", r["fallbacks"], err)
		}
		// The global rule: no scope_id, no fallbacks.
		got, _ = list(map[string]tftypes.Value{"scope": str("global")}, true, 0)
		if len(got) != 1 || !got[0].Resource["scope_id"].IsNull() || !got[0].Resource["fallbacks"].IsNull() {
			t.Errorf("global rule: %+v", got)
		}
	})
	if got, _ := list(nil, false, 2); !sameIDs(got, global, ofA) {
		t.Errorf("limit 2: %v", listedIDs(got))
	}
	_, diags = list(map[string]tftypes.Value{"name_regex": str("(")}, false, 0)
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "name_regex", []string{"Invalid regular expression", "missing closing )"}, nil)
}
