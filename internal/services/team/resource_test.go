package team_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance/governancetest"
)

const addr = "bifrost_team.test"

// teamConfig is two customers (a, b) and the team named name with body.
func teamConfig(tg *acctest.Target, prefix, name, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_customer" "a" {
  name = "%[1]s-a"
}

resource "bifrost_customer" "b" {
  name = "%[1]s-b"
}

resource "bifrost_team" "test" {
  name = %[2]q
%[3]s
}
`, prefix, name, body)
}

// stored reads the team of addr out of band.
func stored(t *testing.T, tg *acctest.Target, s *terraform.State) *bifrost.Team {
	return acctest.Stored(t, tg, s, addr, "team", (*bifrost.Client).GetTeam)
}

func budgetIDs(tm *bifrost.Team) map[string]string {
	out := map[string]string{}
	for _, b := range tm.Budgets {
		out[b.ResetDuration] = b.ID
	}
	return out
}

func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return governancetest.CheckDestroyed(tg, "bifrost_team", "bifrost_customer")
}

const (
	limitsV1 = `
  customer_id = bifrost_customer.a.id
  budgets = [{ max_limit = 100, reset_duration = "1d" }]
  rate_limit = {
    token_max_limit      = 1000
    token_reset_duration = "1h"
  }`
	limitsV2 = `
  customer_id      = bifrost_customer.a.id
  calendar_aligned = true
  budgets = [
    { max_limit = 200, reset_duration = "1d" },
    { max_limit = 50.5, reset_duration = "1w" },
  ]
  rate_limit = {
    request_max_limit      = 10
    request_reset_duration = "1m"
  }`
	limitsNone = `
  customer_id = bifrost_customer.a.id`
)

// TestAccTeam_lifecycle covers create, the in-place update of each field,
// the replacement on a customer change, removal of the limits, out-of-band
// drift of each field, out-of-band deletion of the team and of its customer,
// import by id and by name, and destroy.
func TestAccTeam_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		prefix := acctest.Name("team")
		name, renamed := prefix+"-t", prefix+"-t2"
		var firstIDs map[string]string
		var teamID string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: teamConfig(tg, prefix, name, limitsV1),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("calendar_aligned"), knownvalue.Bool(false)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("rate_limit").AtMapKey("token_max_limit"), knownvalue.Int64Exact(1000)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("rate_limit").AtMapKey("request_max_limit"), knownvalue.Null()),
					},
					Check: resource.ComposeTestCheckFunc(
						resource.TestCheckResourceAttrPair(addr, "customer_id", "bifrost_customer.a", "id"),
						func(s *terraform.State) error {
							tm := stored(t, tg, s)
							firstIDs, teamID = budgetIDs(tm), tm.ID
							if tm.Name != name || len(tm.Budgets) != 1 || tm.Budgets[0].MaxLimit != 100 || tm.RateLimit == nil ||
								*tm.RateLimit.TokenMaxLimit != 1000 || *tm.RateLimit.TokenResetDuration != "1h" || tm.RateLimit.RequestMaxLimit != nil {
								return fmt.Errorf("stored team differs from the configuration: %+v", tm)
							}
							return nil
						},
					),
				},
				// Only the name changes: the budget (and so its usage) is kept.
				{
					Config: teamConfig(tg, prefix, renamed, limitsV1),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "name")},
					},
					Check: func(s *terraform.State) error {
						tm := stored(t, tg, s)
						if tm.Name != renamed || tm.ID != teamID || budgetIDs(tm)["1d"] != firstIDs["1d"] {
							return fmt.Errorf("rename changed more than the name: %+v (budget ids before %v)", tm, firstIDs)
						}
						return nil
					},
				},
				// Budgets, rate limit (full replacement: the token half goes)
				// and calendar_aligned change in place.
				{
					Config: teamConfig(tg, prefix, renamed, limitsV2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "budgets", "calendar_aligned",
							"rate_limit.token_max_limit", "rate_limit.token_reset_duration", "rate_limit.request_max_limit", "rate_limit.request_reset_duration")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: func(s *terraform.State) error {
						tm := stored(t, tg, s)
						ids := budgetIDs(tm)
						if tm.ID != teamID || len(ids) != 2 || ids["1d"] != firstIDs["1d"] {
							return fmt.Errorf("budgets not reconciled by reset_duration: %v, before %v", ids, firstIDs)
						}
						if tm.RateLimit == nil || tm.RateLimit.TokenMaxLimit != nil || *tm.RateLimit.RequestMaxLimit != 10 {
							return fmt.Errorf("rate limit not replaced: %+v", tm.RateLimit)
						}
						aligned := tm.CalendarAligned
						for _, b := range tm.Budgets {
							aligned = aligned || b.CalendarAligned
						}
						if !aligned {
							return fmt.Errorf("calendar_aligned not stored: %+v", tm)
						}
						return nil
					},
				},
				// A new customer replaces the team.
				{
					Config: teamConfig(tg, prefix, renamed, strings.Replace(limitsV2, "customer.a", "customer.b", 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
					},
					Check: resource.ComposeTestCheckFunc(
						resource.TestCheckResourceAttrPair(addr, "customer_id", "bifrost_customer.b", "id"),
						func(s *terraform.State) error {
							rs := s.RootModule().Resources["bifrost_customer.b"]
							if tm := stored(t, tg, s); tm.CustomerID != rs.Primary.ID || tm.ID == teamID {
								return fmt.Errorf("team not replaced under customer b: %+v", tm)
							}
							return nil
						},
					),
				},
				// Limits removed.
				{
					Config: teamConfig(tg, prefix, renamed, strings.Replace(limitsNone, "customer.a", "customer.b", 1)),
					Check: func(s *terraform.State) error {
						if tm := stored(t, tg, s); len(tm.Budgets) != 0 || (tm.RateLimit != nil && (tm.RateLimit.TokenMaxLimit != nil || tm.RateLimit.RequestMaxLimit != nil)) {
							return fmt.Errorf("limits not removed: %+v", tm)
						}
						return nil
					},
				},
				{Config: teamConfig(tg, prefix, renamed, strings.Replace(limitsV2, "customer.a", "customer.b", 1))},
				// Out-of-band drift of name, budgets, rate limit and
				// calendar_aligned: the plan sets them back in place.
				{
					PreConfig: func() {
						id := teamByName(t, tg, renamed).ID
						budgets := []bifrost.BudgetRequest{{MaxLimit: 7, ResetDuration: "1M"}}
						other, f := "drifted-"+prefix, false
						tok, dur := int64(5), "1h"
						if _, err := tg.Client.UpdateTeam(acctest.Ctx(t), id, bifrost.TeamUpdate{
							Name: &other, Budgets: &budgets, CalendarAligned: &f,
							RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: &tok, TokenResetDuration: &dur},
						}); err != nil {
							t.Fatal(err)
						}
					},
					Config: teamConfig(tg, prefix, renamed, strings.Replace(limitsV2, "customer.a", "customer.b", 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "name", "budgets", "calendar_aligned",
							"rate_limit.token_max_limit", "rate_limit.token_reset_duration", "rate_limit.request_max_limit", "rate_limit.request_reset_duration")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				// The customer deleted out of band: Bifrost detaches the team
				// (customer_id drift), so the customer is created again and
				// the team replaced under it.
				{
					PreConfig: func() {
						tm := teamByName(t, tg, renamed)
						if err := tg.Client.DeleteCustomer(acctest.Ctx(t), tm.CustomerID); err != nil {
							t.Fatal(err)
						}
					},
					Config: teamConfig(tg, prefix, renamed, strings.Replace(limitsV2, "customer.a", "customer.b", 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("bifrost_customer.b", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
						},
					},
					Check: resource.TestCheckResourceAttrPair(addr, "customer_id", "bifrost_customer.b", "id"),
				},
				// The team deleted out of band: created again.
				{
					PreConfig: func() {
						if err := tg.Client.DeleteTeam(acctest.Ctx(t), teamByName(t, tg, renamed).ID); err != nil {
							t.Fatal(err)
						}
					},
					Config: teamConfig(tg, prefix, renamed, strings.Replace(limitsV2, "customer.a", "customer.b", 1)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
				{
					ResourceName: addr, ImportState: true, ImportStateVerify: true,
					ImportStateId: "name=" + renamed,
				},
				{
					Config:          teamConfig(tg, prefix, renamed, strings.Replace(limitsV2, "customer.a", "customer.b", 1)),
					ResourceName:    addr,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   "name=" + renamed,
				},
			},
		})
	})
}

// teamByName reads the team named name out of band.
func teamByName(t *testing.T, tg *acctest.Target, name string) *bifrost.Team {
	t.Helper()
	teams, err := tg.Client.ListTeams(acctest.Ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := range teams {
		if teams[i].Name == name {
			return &teams[i]
		}
	}
	t.Fatalf("no team named %q", name)
	return nil
}
