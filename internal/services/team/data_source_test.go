package team_test

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

// TestAccTeamDataSources reads a team by id and by name, and lists teams by
// name and by customer, with usage figures (0 on a new team) and budget ids.
func TestAccTeamDataSources(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		prefix := acctest.Name("team-ds")
		cfg := teamConfig(tg, prefix, prefix+"-t", limitsV1) + fmt.Sprintf(`
data "bifrost_team" "by_id" {
  id = bifrost_team.test.id
}

data "bifrost_team" "by_name" {
  name = bifrost_team.test.name
}

data "bifrost_teams" "mine" {
  name_regex = %q
  depends_on = [bifrost_team.test]
}

data "bifrost_teams" "of_customer" {
  customer_id = bifrost_customer.a.id
  depends_on  = [bifrost_team.test]
}
`, "^"+regexp.QuoteMeta(prefix)+"-")
		byID := "data.bifrost_team.by_id"
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("budgets").AtSliceIndex(0).AtMapKey("current_usage"), knownvalue.Float64Exact(0)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("budgets").AtSliceIndex(0).AtMapKey("max_limit"), knownvalue.Float64Exact(100)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("budgets").AtSliceIndex(0).AtMapKey("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("rate_limit").AtMapKey("token_current_usage"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("rate_limit").AtMapKey("token_max_limit"), knownvalue.Int64Exact(1000)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("calendar_aligned"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.bifrost_teams.mine", tfjsonpath.New("teams"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.bifrost_teams.of_customer", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPair(byID, "name", addr, "name"),
					resource.TestCheckResourceAttrPair(byID, "customer_id", addr, "customer_id"),
					resource.TestCheckResourceAttrPair("data.bifrost_team.by_name", "id", addr, "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_teams.mine", "ids.0", addr, "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_teams.of_customer", "teams.0.id", addr, "id"),
				),
			}},
		})
	})
}

// TestAccTeamDataSource_notFound: an unknown name is an error on name.
func TestAccTeamDataSource_notFound(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      tg.ProviderConfig() + "data \"bifrost_team\" \"x\" {\n  name = \"" + acctest.Name("nobody") + "\"\n}\n",
			ExpectError: regexp.MustCompile(`Team not found`),
		}},
	})
}
