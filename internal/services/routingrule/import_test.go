package routingrule_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

const rulesPath = "/api/governance/routing-rules"

// createRule creates a rule out of band with one target (the request's own
// provider and model).
func createRule(t *testing.T, c *bifrost.Client, name, scope, scopeID string, priority int64) *bifrost.RoutingRule {
	t.Helper()
	r, err := c.CreateRoutingRule(context.Background(), bifrost.RoutingRuleCreate{Name: name, CelExpression: "true", Scope: scope, ScopeID: scopeID,
		Priority: priority, Targets: []bifrost.RoutingTarget{{Weight: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// goneState is the state of a rule Bifrost no longer has.
func goneState() map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id": str("gone-id"), "name": str("gone"), "description": str(""), "cel_expression": str("true"), "scope": str("global"),
		"priority": num(1), "enabled": tftypes.NewValue(tftypes.Bool, true), "chain_rule": tftypes.NewValue(tftypes.Bool, false),
	}
}

// TestImport_providerServer imports by id, by an unambiguous name and by
// identity, and checks the errors of an unknown name, of a name several
// rules have (two global rules, or rules of different scopes), of an empty
// name and of an empty identity.
func TestImport_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	team, err := client.CreateTeam(context.Background(), bifrost.TeamCreate{Name: "platform"})
	if err != nil {
		t.Fatal(err)
	}
	r := createRule(t, client, "contract", "global", "", 1)
	twin1, twin2 := createRule(t, client, "twin", "global", "", 2), createRule(t, client, "twin", "team", team.ID, 1)
	im := acctest.NewImporter(t, emu.URL(), typeName)
	im.ExpectImports(t, r.ID, map[string][2]string{"by id": {r.ID, ""}, "by name": {"name=contract", ""}, "by identity": {"", r.ID}})
	t.Run("unknown name", func(t *testing.T) {
		_, diags := im.ImportID(t, "name=nobody", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "",
			[]string{"No routing rule with that name", `Bifrost has no routing rule named "nobody" (3 routing rules listed)`, "Import a routing rule by its id"}, nil)
	})
	t.Run("ambiguous name", func(t *testing.T) {
		_, diags := im.ImportID(t, "name=twin", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "",
			[]string{"Several routing rules have that name", `2 routing rules are named "twin"`, "unique only within one team, customer or virtual key scope",
				twin1.ID, twin2.ID}, nil)
	})
	t.Run("empty name", func(t *testing.T) {
		_, diags := im.ImportID(t, "name=", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "", []string{"No routing rule with that name", `named ""`}, nil)
	})
	t.Run("empty identity", func(t *testing.T) {
		_, diags := im.ImportID(t, "", "")
		acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityError, "",
			[]string{"Invalid import ID", `"<routing rule id>"`, `"name=<routing rule name>"`}, nil)
	})
}

// TestReadGone_providerServer: a rule deleted outside Terraform is removed
// from the state with a warning, its identity still set (Terraform 1.11
// fails a read without one).
func TestReadGone_providerServer(t *testing.T) {
	emu, client := acctest.StartEmulator(t, emulator.Options{})
	createRule(t, client, "other", "global", "", 1)
	im := acctest.NewImporter(t, emu.URL(), typeName)
	diags := im.ReadGone(t, goneState())
	acctest.ExpectOneDiag(t, diags, tfprotov6.DiagnosticSeverityWarning, "",
		[]string{"Routing rule not found", `The routing rule "gone" (id gone-id) no longer exists`, "removed from the state"}, nil)
	if n := emu.Count(http.MethodGet, rulesPath+"/gone-id"); n != 1 {
		t.Errorf("%d GET requests of the rule, want 1", n)
	}
}

// TestDeleteGone_providerServer: deleting a rule that is already gone (404)
// succeeds without a diagnostic.
func TestDeleteGone_providerServer(t *testing.T) {
	emu, _ := acctest.StartEmulator(t, emulator.Options{})
	im := acctest.NewImporter(t, emu.URL(), typeName)
	im.DestroyGone(t, emu, goneState(), rulesPath+"/gone-id")
}

// globalRuleConfig is the global rule "test" named name at priority.
func globalRuleConfig(tg *acctest.Target, name string, priority int) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_routing_rule" "test" {
  name           = %q
  cel_expression = "true"
  priority       = %d
  targets        = [{ weight = 1 }]
}
`, name, priority)
}

// TestAccRoutingRule_importByIdentity imports with an import block by
// resource identity (Terraform ≥ 1.12; TestImport_providerServer covers
// the same path on older CLIs).
func TestAccRoutingRule_importByIdentity(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		prefix := acctest.Name("rr-ident")
		cfg := tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_team" "t" {
  name = "%[1]s-team"
}

resource "bifrost_routing_rule" "test" {
  name           = "%[1]s-r"
  description    = "imported by identity"
  cel_expression = "model == 'gpt-4o'"
  scope          = "team"
  scope_id       = bifrost_team.t.id
  priority       = 4
  targets        = [{ weight = 1 }]
}
`, prefix)
		acctest.RunImportByIdentity(t, cfg, addr, checkDestroyed(tg))
	})
}

// TestAccRoutingRule_createOnce: the create's answer is lost after Bifrost
// stored the rule; (scope, scope_id, priority) being unique, the provider
// adopts the rule at that slot that was not there before the attempt and is
// exactly the one asked for, instead of failing or creating a second one.
func TestAccRoutingRule_createOnce(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		emu := tg.NeedEmulator(t)
		name := acctest.Name("rr-once")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				PreConfig: func() { emu.DropAfterStore(1, http.MethodPost) },
				Config:    globalRuleConfig(tg, name, 6),
				Check: acctest.CheckCreatedOnce(t, emu, addr, rulesPath, "routing rule", tg.Client.ListRoutingRules,
					func(r *bifrost.RoutingRule) bool { return r.Name == name }, func(r *bifrost.RoutingRule) string { return r.ID }),
			}},
		})
	})
	// At the protocol level, where each request of the create can be made
	// to fail: the list before the attempt fails, so the provider tells the
	// rule it created from another by its creation time.
	for _, v := range acctest.Versions {
		t.Run("list failed "+v, func(t *testing.T) {
			if acctest.Real() {
				t.Skip("needs the emulator's fault injection")
			}
			emu, client, ps := versionedServer(t, v)
			t.Run("rule created by the attempt adopted", func(t *testing.T) {
				resp := applyCreate(t, ps, "fresh", 3, func() {
					emu.FailNext(1, emulator.Fault{Method: http.MethodGet, PathPrefix: rulesPath, Status: http.StatusInternalServerError})
					emu.DropAfterStore(1, http.MethodPost)
				})
				if acctest.HasErrors(resp.Diagnostics) {
					t.Fatalf("create:%s", acctest.RenderDiags(resp.Diagnostics))
				}
				got := acctest.Str(t, acctest.Attrs(t, ps.ResourceType(typeName), resp.NewState)["id"])
				if ids := namedIDs(t, client, "fresh"); len(ids) != 1 || ids[0] != got {
					t.Errorf("rules named fresh: %v, state id %s", ids, got)
				}
				if unanswered(emu) != 1 {
					t.Errorf("%d unanswered creates, want 1", unanswered(emu))
				}
			})
			// A rule at the same (scope, priority) existed before the
			// attempt (the plan warned: it may be the rule this plan
			// replaces), and the create got a 502 from a proxy: the rule is
			// older than the attempt, so it is not adopted; the error says
			// how to import it.
			t.Run("rule older than the attempt refused", func(t *testing.T) {
				old := createRule(t, client, "older", "global", "", 5)
				resp := applyCreate(t, ps, "older", 5, func() {
					emu.ResetRequests()
					emu.FailNext(1, emulator.Fault{Method: http.MethodGet, PathPrefix: rulesPath, Status: http.StatusInternalServerError})
					emu.FailNext(1, emulator.Fault{Method: http.MethodPost, PathPrefix: rulesPath, Status: http.StatusBadGateway})
				})
				acctest.ExpectOneDiag(t, resp.Diagnostics, tfprotov6.DiagnosticSeverityError, "", []string{
					"Cannot tell whether the routing rule was created", `routing rule "older" (id ` + old.ID + ") at priority 5",
					"terraform import bifrost_routing_rule.<name> " + old.ID, "Bad Gateway",
				}, nil)
				if ids := namedIDs(t, client, "older"); len(ids) != 1 || ids[0] != old.ID {
					t.Errorf("rules named older: %v, want only %s", ids, old.ID)
				}
				if n := emu.Count(http.MethodPost, rulesPath); n != 1 {
					t.Errorf("%d creates sent, want 1", n)
				}
			})
		})
	}
}

// versionedServer is an emulator of version v, a client of it and the
// provider configured for it.
func versionedServer(t *testing.T, v string) (*emulator.Server, *bifrost.Client, *acctest.ProtocolServer) {
	t.Helper()
	opts := emulator.Options{Version: v}
	if strings.HasPrefix(v, "v2.") {
		opts.SetupToken = "rr-setup-token-0123456789"
	}
	return acctest.StartConfigured(t, opts)
}

// applyCreate plans and applies the create of the global rule named name at
// priority, as Terraform does; beforeApply runs between the plan and the
// apply (to arm faults for the apply alone).
func applyCreate(t *testing.T, ps *acctest.ProtocolServer, name string, priority float64, beforeApply func()) *tfprotov6.ApplyResourceChangeResponse {
	t.Helper()
	ctx := context.Background()
	typ := ps.ResourceType(typeName)
	cfg := ps.Value(t, typ, map[string]tftypes.Value{"name": str(name), "cel_expression": str("true"), "priority": num(priority),
		"targets": newShapes(t, ps).list(t, tgt{w: 1})})
	prior, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := ps.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: typeName, Config: &cfg, PriorState: &prior, ProposedNewState: &cfg})
	if err != nil || acctest.HasErrors(plan.Diagnostics) {
		t.Fatalf("plan: %v%s", err, acctest.RenderDiags(plan.Diagnostics))
	}
	beforeApply()
	resp, err := ps.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, Config: &cfg, PriorState: &prior, PlannedState: plan.PlannedState, PlannedPrivate: plan.PlannedPrivate,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// namedIDs is the ids of the rules named name.
func namedIDs(t *testing.T, c *bifrost.Client, name string) []string {
	t.Helper()
	rules, err := c.ListRoutingRules(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rules {
		if r.Name == name {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// unanswered is the number of rule creates that got no answer.
func unanswered(emu *emulator.Server) int { return acctest.Unanswered(emu, http.MethodPost, rulesPath) }

// TestAccRoutingRule_takenAtApply: a rule of that name already holds the
// (scope, scope_id, priority); the plan only warns (a replacement looks the
// same to it), and the create, which Bifrost refuses with a 500, fails on
// priority, naming the rule and how to import it, without adopting it.
func TestAccRoutingRule_takenAtApply(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		prefix := acctest.Name("rr-taken")
		name := prefix + "-r"
		team, err := tg.Client.CreateTeam(acctest.Ctx(t), bifrost.TeamCreate{Name: prefix + "-team"})
		if err != nil {
			t.Fatal(err)
		}
		otherID := createRule(t, tg.Client, name, "team", team.ID, 9).ID
		t.Cleanup(func() {
			_ = tg.Client.DeleteRoutingRule(context.Background(), otherID)
			_ = tg.Client.DeleteTeam(context.Background(), team.ID)
		})
		cfg := tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_routing_rule" "test" {
  name           = %q
  cel_expression = "true"
  scope          = "team"
  scope_id       = %q
  priority       = 9
  targets        = [{ weight = 1 }]
}
`, name, team.ID)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: cfg,
				ExpectError: regexp.MustCompile(`Routing rule priority taken(.|\n)*already(.|\n)*has(.|\n)*that(.|\n)*priority(.|\n)*terraform(.|\n)*import(.|\n)*` +
					`bifrost_routing_rule\.<name>\s+` + regexp.QuoteMeta(otherID) + `\.\s+Bifrost said`),
			}},
		})
		if ids := namedIDs(t, tg.Client, name); len(ids) != 1 || ids[0] != otherID {
			t.Errorf("rules named %s: %v, want only %s", name, ids, otherID)
		}
	})
}
