package providergovernance_test

import (
	"context"
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
)

const addr = "bifrost_provider_governance.test"

// govConfig is a custom provider named name (so that tests can share a
// real server) and its governance with body.
func govConfig(tg *acctest.Target, name, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_provider" "test" {
  name = %q
  custom_provider_config = {
    base_provider_type = "openai"
  }
}

resource "bifrost_provider_governance" "test" {
  provider_name = bifrost_provider.test.name
%s
}
`, name, body)
}

// stored reads the limits of provider name out of band.
func stored(t *testing.T, tg *acctest.Target, name string) *bifrost.ProviderGovernance {
	t.Helper()
	got, err := tg.Client.GetProviderGovernance(acctest.Ctx(t), name)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatalf("provider %s has no limits", name)
	}
	return got
}

// checkDestroyed fails when the provider of a bifrost_provider_governance
// of the state still has limits.
func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "bifrost_provider_governance" {
				continue
			}
			got, err := tg.Client.GetProviderGovernance(context.Background(), rs.Primary.ID)
			if err != nil {
				return err
			}
			if got != nil {
				return fmt.Errorf("provider %s still has limits: %+v", rs.Primary.ID, got)
			}
		}
		return nil
	}
}

const (
	limits1 = `
  budgets = [{ max_limit = 100, reset_duration = "1M" }]
  rate_limit = {
    token_max_limit      = 1000000
    token_reset_duration = "1d"
  }`
	limits2 = `
  budgets = [{ max_limit = 150.5, reset_duration = "1M" }]
  rate_limit = {
    request_max_limit      = 600
    request_reset_duration = "1m"
  }`
	budgetOnly = `
  budgets = [{ max_limit = 150.5, reset_duration = "1M" }]`
	rateLimitOnly = `
  rate_limit = {
    request_max_limit      = 600
    request_reset_duration = "1m"
  }`
)

var rateLimitLeaves = []string{"rate_limit.token_max_limit", "rate_limit.token_reset_duration", "rate_limit.request_max_limit", "rate_limit.request_reset_duration"}

// TestAccProviderGovernance_lifecycle covers create, the in-place update of
// each field, removal of one limit, out-of-band drift of each field,
// out-of-band clearing, import by provider name, and destroy (which clears
// the limits).
func TestAccProviderGovernance_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("pg")
		v2 := func() bool { return tg.Version(t).AtLeast(2, 0) }
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: govConfig(tg, name, limits1),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(name)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("rate_limit").AtMapKey("token_max_limit"), knownvalue.Int64Exact(1000000)),
					},
					Check: func(*terraform.State) error {
						g := stored(t, tg, name)
						if b := g.AllBudgets(); len(b) != 1 || b[0].MaxLimit != 100 || b[0].ResetDuration != "1M" || g.RateLimit == nil ||
							*g.RateLimit.TokenMaxLimit != 1000000 || g.RateLimit.RequestMaxLimit != nil {
							return fmt.Errorf("stored limits differ from the configuration: %+v", g)
						}
						return nil
					},
				},
				// Budget and rate limit (replaced as a whole) change in place.
				{
					Config: govConfig(tg, name, limits2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, append([]string{"budgets"}, rateLimitLeaves...)...)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: func(*terraform.State) error {
						g := stored(t, tg, name)
						if b := g.AllBudgets(); len(b) != 1 || b[0].MaxLimit != 150.5 || g.RateLimit.TokenMaxLimit != nil || *g.RateLimit.RequestMaxLimit != 600 {
							return fmt.Errorf("limits not updated: %+v", g)
						}
						return nil
					},
				},
				// The rate limit removed, then the budget instead.
				{
					Config: govConfig(tg, name, budgetOnly),
					Check: func(*terraform.State) error {
						if g := stored(t, tg, name); g.RateLimit != nil && (g.RateLimit.TokenMaxLimit != nil || g.RateLimit.RequestMaxLimit != nil) {
							return fmt.Errorf("rate limit not removed: %+v", g.RateLimit)
						}
						return nil
					},
				},
				{
					Config: govConfig(tg, name, rateLimitOnly),
					Check: func(*terraform.State) error {
						if g := stored(t, tg, name); len(g.AllBudgets()) != 0 || g.RateLimit == nil {
							return fmt.Errorf("budget not removed: %+v", g)
						}
						return nil
					},
				},
				{Config: govConfig(tg, name, limits2)},
				// Out-of-band drift of budget and rate limit: set back in place.
				{
					PreConfig: func() {
						limit, reset := 7.0, "1w"
						tok, dur := int64(5), "1h"
						in := bifrost.ProviderGovernanceUpdate{RateLimit: &bifrost.RateLimitRequest{TokenMaxLimit: &tok, TokenResetDuration: &dur}}
						if v2() {
							in.Budgets = &[]bifrost.BudgetRequest{{MaxLimit: limit, ResetDuration: reset}}
						} else {
							in.Budget = &bifrost.BudgetPatch{MaxLimit: &limit, ResetDuration: &reset}
						}
						if _, err := tg.Client.PutProviderGovernance(acctest.Ctx(t), name, in); err != nil {
							t.Fatal(err)
						}
					},
					Config: govConfig(tg, name, limits2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, append([]string{"budgets"}, rateLimitLeaves...)...)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				// Cleared out of band: set again.
				{
					PreConfig: func() {
						if err := tg.Client.DeleteProviderGovernance(acctest.Ctx(t), name); err != nil {
							t.Fatal(err)
						}
					},
					Config: govConfig(tg, name, limits2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
					Check: func(*terraform.State) error {
						if g := stored(t, tg, name); len(g.AllBudgets()) != 1 {
							return fmt.Errorf("limits not set again: %+v", g)
						}
						return nil
					},
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: name},
				{
					Config:          govConfig(tg, name, limits2),
					ResourceName:    addr,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   name,
				},
			},
		})
	})
}

// TestAccProviderGovernance_providerDeleted: the provider deleted outside
// Terraform takes its limits with it; the plan creates both again.
func TestAccProviderGovernance_providerDeleted(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("pg-gone")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{Config: govConfig(tg, name, limits1)},
				{
					PreConfig: func() {
						if err := tg.Client.DeleteProvider(acctest.Ctx(t), name); err != nil {
							t.Fatal(err)
						}
					},
					Config: govConfig(tg, name, limits1),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("bifrost_provider.test", plancheck.ResourceActionCreate),
							plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
						},
					},
				},
			},
		})
	})
}

// TestAccProviderGovernance_severalBudgets: Bifrost ≥ 2.0 holds several
// budgets per provider.
func TestAccProviderGovernance_severalBudgets(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		if !tg.Version(t).AtLeast(2, 0) {
			t.Skip("several budgets per provider need Bifrost ≥ 2.0")
		}
		name := acctest.Name("pg-budgets")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: govConfig(tg, name, `
  budgets = [
    { max_limit = 10, reset_duration = "1d" },
    { max_limit = 100, reset_duration = "1M" },
  ]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					if b := stored(t, tg, name).AllBudgets(); len(b) != 2 {
						return fmt.Errorf("budgets %+v", b)
					}
					return nil
				},
			}},
		})
	})
}
