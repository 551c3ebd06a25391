package customer_test

import (
	"fmt"
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

const addr = "bifrost_customer.test"

func customerConfig(tg *acctest.Target, name, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_customer" "test" {
  name = %q
%s
}
`, name, body)
}

// stored reads the customer of addr out of band.
func stored(t *testing.T, tg *acctest.Target, s *terraform.State) *bifrost.Customer {
	return acctest.Stored(t, tg, s, addr, "customer", (*bifrost.Client).GetCustomer)
}

func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return governancetest.CheckDestroyed(tg, "bifrost_customer")
}

func budgetIDs(cu *bifrost.Customer) map[string]string {
	out := map[string]string{}
	for _, b := range cu.AllBudgets() {
		out[b.ResetDuration] = b.ID
	}
	return out
}

const (
	limits1 = `
  budgets = [{ max_limit = 100, reset_duration = "1d" }]
  rate_limit = {
    token_max_limit      = 1000
    token_reset_duration = "1h"
  }`
	limits2 = `
  budgets = [{ max_limit = 250.5, reset_duration = "1d" }]
  rate_limit = {
    request_max_limit      = 10
    request_reset_duration = "1m"
  }`
)

// TestAccCustomer_lifecycle covers create, the in-place update of each
// field, removal of the limits, out-of-band drift of each field,
// out-of-band deletion, import by id and by an unambiguous name, and
// destroy.
func TestAccCustomer_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("customer")
		renamed := name + "-2"
		var id string
		var firstIDs map[string]string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: customerConfig(tg, name, limits1),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("rate_limit").AtMapKey("token_max_limit"), knownvalue.Int64Exact(1000)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("budgets"), knownvalue.SetSizeExact(1)),
					},
					Check: func(s *terraform.State) error {
						cu := stored(t, tg, s)
						id, firstIDs = cu.ID, budgetIDs(cu)
						if cu.Name != name || len(firstIDs) != 1 || cu.AllBudgets()[0].MaxLimit != 100 || cu.RateLimit == nil || *cu.RateLimit.TokenMaxLimit != 1000 {
							return fmt.Errorf("stored customer differs from the configuration: %+v", cu)
						}
						return nil
					},
				},
				// Only the name changes: the budget (and its usage) is kept.
				{
					Config: customerConfig(tg, renamed, limits1),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "name")},
					},
					Check: func(s *terraform.State) error {
						cu := stored(t, tg, s)
						if cu.ID != id || cu.Name != renamed || budgetIDs(cu)["1d"] != firstIDs["1d"] {
							return fmt.Errorf("rename changed more than the name: %+v, budget ids before %v", cu, firstIDs)
						}
						return nil
					},
				},
				// The budget's max_limit (kept: same reset_duration) and the
				// rate limit (replaced as a whole).
				{
					Config: customerConfig(tg, renamed, limits2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "budgets",
							"rate_limit.token_max_limit", "rate_limit.token_reset_duration", "rate_limit.request_max_limit", "rate_limit.request_reset_duration")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: func(s *terraform.State) error {
						cu := stored(t, tg, s)
						if budgetIDs(cu)["1d"] != firstIDs["1d"] || cu.AllBudgets()[0].MaxLimit != 250.5 {
							return fmt.Errorf("budget not updated in place: %+v, ids before %v", cu.AllBudgets(), firstIDs)
						}
						if cu.RateLimit == nil || cu.RateLimit.TokenMaxLimit != nil || *cu.RateLimit.RequestMaxLimit != 10 {
							return fmt.Errorf("rate limit not replaced: %+v", cu.RateLimit)
						}
						return nil
					},
				},
				// A budget with another reset_duration.
				{
					Config: customerConfig(tg, renamed, `
  budgets = [{ max_limit = 5, reset_duration = "1w" }]`),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				// Limits removed.
				{
					Config: customerConfig(tg, renamed, ""),
					Check: func(s *terraform.State) error {
						if cu := stored(t, tg, s); len(cu.AllBudgets()) != 0 || (cu.RateLimit != nil && (cu.RateLimit.TokenMaxLimit != nil || cu.RateLimit.RequestMaxLimit != nil)) {
							return fmt.Errorf("limits not removed: %+v", cu)
						}
						return nil
					},
				},
				{Config: customerConfig(tg, renamed, limits2)},
				// Out-of-band drift of every field.
				{
					PreConfig: func() {
						other, tok, dur := "drifted-"+name, int64(5), "1h"
						in := bifrost.CustomerUpdate{Name: &other, RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: &tok, TokenResetDuration: &dur}}
						if tg.Version(t).AtLeast(2, 0) {
							in.Budgets = &[]bifrost.BudgetRequest{{MaxLimit: 7, ResetDuration: "1M"}}
						} else {
							ml, rd := 7.0, "1M"
							in.Budget = &bifrost.BudgetPatch{MaxLimit: &ml, ResetDuration: &rd}
						}
						if _, err := tg.Client.UpdateCustomer(acctest.Ctx(t), id, in); err != nil {
							t.Fatal(err)
						}
					},
					Config: customerConfig(tg, renamed, limits2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "name", "budgets",
							"rate_limit.token_max_limit", "rate_limit.token_reset_duration", "rate_limit.request_max_limit", "rate_limit.request_reset_duration")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				// Deleted out of band: created again.
				{
					PreConfig: func() {
						if err := tg.Client.DeleteCustomer(acctest.Ctx(t), id); err != nil {
							t.Fatal(err)
						}
					},
					Config: customerConfig(tg, renamed, limits2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "name=" + renamed},
			},
		})
	})
}

// TestAccCustomer_severalBudgets: a list of budgets on Bifrost ≥ 2.0, each
// kept by reset_duration across an update of another; on v1.5.1 the same
// configuration is refused at plan time, naming the server's version.
func TestAccCustomer_severalBudgets(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("customer-budgets")
		two := func(day float64) string {
			return customerConfig(tg, name, fmt.Sprintf(`
  budgets = [
    { max_limit = %g, reset_duration = "1d" },
    { max_limit = 500, reset_duration = "1M" },
  ]`, day))
		}
		if !tg.Version(t).AtLeast(2, 0) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      two(10),
					ExpectError: acctest.Spaced(`Several customer budgets need Bifrost ≥ 2.0`),
				}},
			})
			return
		}
		var ids map[string]string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: two(10),
					Check: func(s *terraform.State) error {
						ids = budgetIDs(stored(t, tg, s))
						if len(ids) != 2 {
							return fmt.Errorf("want 2 budgets, got %v", ids)
						}
						return nil
					},
				},
				{
					Config: two(20),
					Check: func(s *terraform.State) error {
						if got := budgetIDs(stored(t, tg, s)); got["1d"] != ids["1d"] || got["1M"] != ids["1M"] {
							return fmt.Errorf("budget ids changed: %v, before %v", got, ids)
						}
						return nil
					},
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
			},
		})
	})
}
