package routingrule_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

const addr = "bifrost_routing_rule.test"

// ruleConfig is two openai keys, a team, and the rule "test" with body.
func ruleConfig(tg *acctest.Target, prefix, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_provider_key" "a" {
  provider_name = "openai"
  name          = "%[1]s-a"
  value         = "sk-rr-test-a-0123456789abcdefghij"
  models        = ["*"]
}

resource "bifrost_provider_key" "b" {
  provider_name = "openai"
  name          = "%[1]s-b"
  value         = "sk-rr-test-b-0123456789abcdefghij"
  models        = ["*"]
}

resource "bifrost_team" "t" {
  name = "%[1]s-team"
}

resource "bifrost_routing_rule" "test" {
%[2]s
}
`, prefix, body)
}

func ruleBody(name, cel, desc string, priority int, weights [2]float64, fallback string) string {
	return fmt.Sprintf(`  name           = %q
  description    = %q
  cel_expression = %q
  scope          = "team"
  scope_id       = bifrost_team.t.id
  priority       = %d
  targets = [
    { provider = "openai", model = "gpt-4o", key_id = bifrost_provider_key.a.id, weight = %g },
    { provider = "openai", model = "gpt-4o", key_id = bifrost_provider_key.b.id, weight = %g },
  ]
  fallbacks = [%q]`, name, desc, cel, priority, weights[0], weights[1], fallback)
}

func storedRule(t *testing.T, tg *acctest.Target, s *terraform.State) *bifrost.RoutingRule {
	t.Helper()
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		t.Fatalf("%s not in state", addr)
	}
	r, err := tg.Client.GetRoutingRule(acctest.Ctx(t), rs.Primary.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return acctest.CheckDestroyed(tg, typeName, (*bifrost.Client).GetRoutingRule)
}

// TestAccRoutingRule_lifecycle: create (80/20 between two keys with a
// fallback, team-scoped), update of each field, drift of each field, an
// out-of-band delete, import by id and by name, destroy.
func TestAccRoutingRule_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		tg.EnsureProviders(t, "openai", "azure")
		prefix := acctest.Name("rr")
		name := prefix + "-r"
		v1 := ruleBody(name, "model == 'gpt-4o'", "first", 10, [2]float64{0.8, 0.2}, "azure/")
		v2 := ruleBody(name+"2", `model == "gpt-4o-mini"`, "second", 11, [2]float64{0.5, 0.5}, "openai/gpt-4o-mini") +
			"\n  enabled    = false\n  chain_rule = true"
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: ruleConfig(tg, prefix, v1),
					Check: func(s *terraform.State) error {
						r := storedRule(t, tg, s)
						if r.Name != name || r.Scope != "team" || r.Priority != 10 || len(r.Targets) != 2 || r.Targets[0].Weight != 0.8 ||
							r.Targets[0].KeyID == "" || len(r.Fallbacks) != 1 || !r.Enabled || r.ChainRule || r.Description != "first" {
							return fmt.Errorf("stored rule differs: %+v", r)
						}
						return nil
					},
				},
				{
					Config:           ruleConfig(tg, prefix, v2),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}},
					Check: func(s *terraform.State) error {
						r := storedRule(t, tg, s)
						if r.Name != name+"2" || r.Priority != 11 || r.Targets[0].Weight != 0.5 || r.Fallbacks[0] != "openai/gpt-4o-mini" ||
							r.Enabled || !r.ChainRule || r.Description != "second" || r.CelExpression != `model == "gpt-4o-mini"` {
							return fmt.Errorf("rule not updated: %+v", r)
						}
						return nil
					},
				},
				// Drift of every field, set back in place.
				{
					PreConfig: func() {
						rules, err := tg.Client.ListRoutingRules(acctest.Ctx(t))
						if err != nil {
							t.Fatal(err)
						}
						for _, r := range rules {
							if r.Name != name+"2" {
								continue
							}
							n, d, c, e, ch, p, g := "drifted-"+prefix, "x", "true", true, false, int64(99), "global"
							if _, err := tg.Client.UpdateRoutingRule(acctest.Ctx(t), r.ID, bifrost.RoutingRuleUpdate{
								Name: &n, Description: &d, CelExpression: &c, Enabled: &e, ChainRule: &ch, Priority: &p, Scope: &g,
								Targets: &[]bifrost.RoutingTarget{{Provider: "azure", Weight: 1}}, Fallbacks: &[]string{},
							}); err != nil {
								t.Fatal(err)
							}
						}
					},
					Config: ruleConfig(tg, prefix, v2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "name", "description", "cel_expression", "enabled",
							"chain_rule", "priority", "scope", "scope_id", "targets", "fallbacks")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "name=" + name + "2"},
				// Deleted out of band: created again.
				{
					PreConfig: func() {
						rules, _ := tg.Client.ListRoutingRules(acctest.Ctx(t))
						for _, r := range rules {
							if r.Name == name+"2" {
								if err := tg.Client.DeleteRoutingRule(acctest.Ctx(t), r.ID); err != nil {
									t.Fatal(err)
								}
							}
						}
					},
					Config:           ruleConfig(tg, prefix, v2),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)}},
				},
			},
		})
	})
}

// TestAccRoutingRule_priorityCollision: two new rules of one configuration
// at one priority in one scope: the second create fails, naming both.
func TestAccRoutingRule_priorityCollision(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		tg.EnsureProviders(t, "openai")
		prefix := acctest.Name("rr-col")
		cfg := tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_team" "t" {
  name = "%[1]s-team"
}

resource "bifrost_routing_rule" "first" {
  name           = "%[1]s-first"
  cel_expression = "true"
  scope          = "team"
  scope_id       = bifrost_team.t.id
  priority       = 3
  targets        = [{ provider = "openai", weight = 1 }]
}

resource "bifrost_routing_rule" "second" {
  name           = "%[1]s-second"
  cel_expression = "true"
  scope          = "team"
  scope_id       = bifrost_team.t.id
  priority       = 3
  targets        = [{ provider = "openai", weight = 1 }]
  depends_on     = [bifrost_routing_rule.first]
}
`, prefix)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config:      cfg,
				ExpectError: regexp.MustCompile(`Routing rule priority taken(.|\n)*` + regexp.QuoteMeta(prefix) + `-first(.|\n)*` + regexp.QuoteMeta(prefix) + `-second`),
			}},
		})
	})
}
