package routingrule_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccRoutingRuleDataSources reads a rule by id and by name, and lists
// rules by scope, by scope_id, by name_regex, and by all three.
func TestAccRoutingRuleDataSources(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		prefix := acctest.Name("rr-ds")
		re := "^" + regexp.QuoteMeta(prefix) + "-"
		cfg := tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_team" "t" {
  name = "%[1]s-team"
}

resource "bifrost_team" "u" {
  name = "%[1]s-team-u"
}

resource "bifrost_routing_rule" "test" {
  name           = "%[1]s-r"
  description    = "premium to azure"
  cel_expression = "headers[\"x-tier\"] == \"premium\""
  scope          = "team"
  scope_id       = bifrost_team.t.id
  priority       = 2
  chain_rule     = true
  targets = [
    { provider = "openai", model = "gpt-4o", weight = 0.6 },
    { weight = 0.4 },
  ]
  fallbacks = ["openai/gpt-4o-mini"]
}

resource "bifrost_routing_rule" "other" {
  name           = "%[1]s-other"
  cel_expression = "true"
  scope          = "team"
  scope_id       = bifrost_team.u.id
  priority       = 2
  enabled        = false
  targets        = [{ weight = 1 }]
}

data "bifrost_routing_rule" "by_id" {
  id = bifrost_routing_rule.test.id
}

data "bifrost_routing_rule" "by_name" {
  name = bifrost_routing_rule.other.name
}

data "bifrost_routing_rules" "mine" {
  name_regex = %[2]q
  depends_on = [bifrost_routing_rule.test, bifrost_routing_rule.other]
}

data "bifrost_routing_rules" "of_team" {
  scope_id   = bifrost_team.t.id
  depends_on = [bifrost_routing_rule.test, bifrost_routing_rule.other]
}

data "bifrost_routing_rules" "team_scope" {
  scope      = "team"
  name_regex = %[2]q
  depends_on = [bifrost_routing_rule.test, bifrost_routing_rule.other]
}

data "bifrost_routing_rules" "global_scope" {
  scope      = "global"
  name_regex = %[2]q
  depends_on = [bifrost_routing_rule.test, bifrost_routing_rule.other]
}

data "bifrost_routing_rules" "all_three" {
  scope      = "team"
  scope_id   = bifrost_team.u.id
  name_regex = "-other$"
  depends_on = [bifrost_routing_rule.test, bifrost_routing_rule.other]
}
`, prefix, re)
		byID, other := "data.bifrost_routing_rule.by_id", "bifrost_routing_rule.other"
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("description"), knownvalue.StringExact("premium to azure")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("cel_expression"), knownvalue.StringExact(`headers["x-tier"] == "premium"`)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("chain_rule"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("priority"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("scope"), knownvalue.StringExact("team")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("targets"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"provider": knownvalue.StringExact("openai"), "model": knownvalue.StringExact("gpt-4o"),
							"key_id": knownvalue.Null(), "weight": knownvalue.Float64Exact(0.6)}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{"provider": knownvalue.Null(), "model": knownvalue.Null(),
							"key_id": knownvalue.Null(), "weight": knownvalue.Float64Exact(0.4)}),
					})),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("fallbacks"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("openai/gpt-4o-mini")})),
					statecheck.ExpectKnownValue("data.bifrost_routing_rule.by_name", tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.bifrost_routing_rule.by_name", tfjsonpath.New("fallbacks"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.bifrost_routing_rules.mine", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.bifrost_routing_rules.of_team", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.bifrost_routing_rules.team_scope", tfjsonpath.New("rules"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.bifrost_routing_rules.global_scope", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.bifrost_routing_rules.all_three", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPair(byID, "name", addr, "name"),
					resource.TestCheckResourceAttrPair(byID, "scope_id", "bifrost_team.t", "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_routing_rule.by_name", "id", other, "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_routing_rule.by_name", "scope_id", "bifrost_team.u", "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_routing_rules.of_team", "ids.0", addr, "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_routing_rules.of_team", "rules.0.fallbacks.0", addr, "fallbacks.0"),
					resource.TestCheckResourceAttrPair("data.bifrost_routing_rules.all_three", "rules.0.id", other, "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_routing_rules.all_three", "rules.0.enabled", other, "enabled"),
				),
			}},
		})
	})
}

// TestAccRoutingRuleDataSource_notFound: an unknown name is an error on
// name, an unknown id one on id.
func TestAccRoutingRuleDataSource_notFound(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      tg.ProviderConfig() + "data \"bifrost_routing_rule\" \"x\" {\n  name = \"" + acctest.Name("nobody") + "\"\n}\n",
				ExpectError: regexp.MustCompile(`Routing rule not found(.|\n)*no routing rule named`),
			},
			{
				Config:      tg.ProviderConfig() + "data \"bifrost_routing_rule\" \"x\" {\n  id = \"no-such-rule\"\n}\n",
				ExpectError: regexp.MustCompile(`Routing rule not found(.|\n)*no routing rule with id "no-such-rule"`),
			},
		},
	})
}
