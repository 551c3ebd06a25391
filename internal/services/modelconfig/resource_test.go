package modelconfig_test

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
)

const addr = "bifrost_model_config.test"

// mcConfig is the model config of model with body.
func mcConfig(tg *acctest.Target, model, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_model_config" "test" {
  model_name = %q
%s
}
`, model, body)
}

// stored reads the model config of addr out of band.
func stored(t *testing.T, tg *acctest.Target, s *terraform.State) *bifrost.ModelConfig {
	return acctest.Stored(t, tg, s, addr, "model config", (*bifrost.Client).GetModelConfig)
}

// byModel reads the model config of model out of band.
func byModel(t *testing.T, tg *acctest.Target, model string) *bifrost.ModelConfig {
	t.Helper()
	all, err := tg.Client.ListModelConfigs(acctest.Ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		if all[i].ModelName == model {
			return &all[i]
		}
	}
	t.Fatalf("no model config for %q", model)
	return nil
}

// checkDestroyed fails when a bifrost_model_config of the state still
// exists.
func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return acctest.CheckDestroyed(tg, typeName, (*bifrost.Client).GetModelConfig)
}

// setBudget is the out-of-band update that sets one budget, per version.
func setBudget(v2 bool, limit float64, reset string) bifrost.ModelConfigUpdate {
	if v2 {
		return bifrost.ModelConfigUpdate{Budgets: &[]bifrost.BudgetRequest{{MaxLimit: limit, ResetDuration: reset}}}
	}
	return bifrost.ModelConfigUpdate{Budget: &bifrost.BudgetPatch{MaxLimit: &limit, ResetDuration: &reset}}
}

const (
	openAI1 = `
  provider_name = "openai"
  budgets  = [{ max_limit = 20, reset_duration = "1w" }]
  rate_limit = {
    token_max_limit      = 1000
    token_reset_duration = "1h"
  }`
	openAI2 = `
  provider_name = "openai"
  budgets  = [{ max_limit = 25.5, reset_duration = "1w" }]
  rate_limit = {
    request_max_limit      = 10
    request_reset_duration = "1m"
  }`
	anthropic2 = `
  provider_name = "anthropic"
  budgets  = [{ max_limit = 25.5, reset_duration = "1w" }]
  rate_limit = {
    request_max_limit      = 10
    request_reset_duration = "1m"
  }`
	allProviders2 = `
  budgets  = [{ max_limit = 25.5, reset_duration = "1w" }]
  rate_limit = {
    request_max_limit      = 10
    request_reset_duration = "1m"
  }`
	noLimits = `
  provider_name = "openai"`
)

var rateLimitLeaves = []string{"rate_limit.token_max_limit", "rate_limit.token_reset_duration", "rate_limit.request_max_limit", "rate_limit.request_reset_duration"}

// TestAccModelConfig_lifecycle covers create, the in-place update of each
// field, the replacement when provider is removed, removal of the limits,
// out-of-band drift of each field, out-of-band deletion, import by id and
// by natural key, and destroy.
func TestAccModelConfig_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		model := acctest.Name("mc")
		renamed := model + "-2"
		var firstID string
		v2 := func() bool { return tg.Version(t).AtLeast(2, 0) }
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: mcConfig(tg, model, openAI1),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("provider_name"), knownvalue.StringExact("openai")),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("rate_limit").AtMapKey("token_max_limit"), knownvalue.Int64Exact(1000)),
						statecheck.ExpectKnownValue(addr, tfjsonpath.New("rate_limit").AtMapKey("request_max_limit"), knownvalue.Null()),
					},
					Check: func(s *terraform.State) error {
						mc := stored(t, tg, s)
						firstID = mc.ID
						b := mc.AllBudgets()
						if mc.ModelName != model || mc.ProviderName() != "openai" || len(b) != 1 || b[0].MaxLimit != 20 || b[0].ResetDuration != "1w" ||
							mc.RateLimit == nil || *mc.RateLimit.TokenMaxLimit != 1000 || mc.RateLimit.RequestMaxLimit != nil {
							return fmt.Errorf("stored model config differs from the configuration: %+v", mc)
						}
						return nil
					},
				},
				// The model changes in place.
				{
					Config: mcConfig(tg, renamed, openAI1),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "model_name")},
					},
					Check: func(s *terraform.State) error {
						if mc := stored(t, tg, s); mc.ModelName != renamed || mc.ID != firstID {
							return fmt.Errorf("rename: %+v (id before %s)", mc, firstID)
						}
						return nil
					},
				},
				// Budget and rate limit (replaced as a whole) change in place.
				{
					Config: mcConfig(tg, renamed, openAI2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, append([]string{"budgets"}, rateLimitLeaves...)...)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: func(s *terraform.State) error {
						mc := stored(t, tg, s)
						if b := mc.AllBudgets(); mc.ID != firstID || len(b) != 1 || b[0].MaxLimit != 25.5 || mc.RateLimit == nil ||
							mc.RateLimit.TokenMaxLimit != nil || *mc.RateLimit.RequestMaxLimit != 10 {
							return fmt.Errorf("limits not updated in place: %+v", mc)
						}
						return nil
					},
				},
				// Another provider: in place.
				{
					Config: mcConfig(tg, renamed, anthropic2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "provider_name")},
					},
					Check: func(s *terraform.State) error {
						if mc := stored(t, tg, s); mc.ID != firstID || mc.ProviderName() != "anthropic" {
							return fmt.Errorf("provider not changed in place: %+v", mc)
						}
						return nil
					},
				},
				// No provider (all providers): replaced.
				{
					Config: mcConfig(tg, renamed, allProviders2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
					},
					ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(addr, tfjsonpath.New("provider_name"), knownvalue.Null())},
					Check: func(s *terraform.State) error {
						if mc := stored(t, tg, s); mc.ID == firstID || mc.Provider != nil {
							return fmt.Errorf("not replaced by a model config of all providers: %+v", mc)
						}
						return nil
					},
				},
				// A provider again: in place.
				{
					Config: mcConfig(tg, renamed, openAI2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, "provider_name")},
					},
				},
				// Limits removed.
				{
					Config: mcConfig(tg, renamed, noLimits),
					Check: func(s *terraform.State) error {
						if mc := stored(t, tg, s); len(mc.AllBudgets()) != 0 || (mc.RateLimit != nil && (mc.RateLimit.TokenMaxLimit != nil || mc.RateLimit.RequestMaxLimit != nil)) {
							return fmt.Errorf("limits not removed: %+v", mc)
						}
						return nil
					},
				},
				{Config: mcConfig(tg, renamed, openAI2)},
				// Out-of-band drift of model, provider, budget and rate limit:
				// the plan sets them back in place.
				{
					PreConfig: func() {
						id := byModel(t, tg, renamed).ID
						in := setBudget(v2(), 7, "1M")
						other, prov := "drifted-"+model, "anthropic"
						tok, dur := int64(5), "1h"
						in.ModelName, in.Provider = &other, &prov
						in.RateLimit = &bifrost.RateLimitRequest{TokenMaxLimit: &tok, TokenResetDuration: &dur}
						if _, err := tg.Client.UpdateModelConfig(acctest.Ctx(t), id, in); err != nil {
							t.Fatal(err)
						}
					},
					Config: mcConfig(tg, renamed, openAI2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, nil, append([]string{"model_name", "provider_name", "budgets"}, rateLimitLeaves...)...)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				// Deleted out of band: created again.
				{
					PreConfig: func() {
						if err := tg.Client.DeleteModelConfig(acctest.Ctx(t), byModel(t, tg, renamed).ID); err != nil {
							t.Fatal(err)
						}
					},
					Config: mcConfig(tg, renamed, openAI2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
				{
					ResourceName: addr, ImportState: true, ImportStateVerify: true,
					ImportStateId: "provider=openai,model=" + renamed,
				},
				{
					Config:          mcConfig(tg, renamed, openAI2),
					ResourceName:    addr,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   "provider=openai,model=" + renamed,
				},
			},
		})
	})
}

// TestAccModelConfig_severalBudgets: Bifrost ≥ 2.0 holds several budgets
// per model config, reconciled by reset_duration (v1.5.1 refuses them at
// plan time: TestBadInputs_providerServer).
func TestAccModelConfig_severalBudgets(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		if !tg.Version(t).AtLeast(2, 0) {
			t.Skip("several budgets per model config need Bifrost ≥ 2.0")
		}
		model := acctest.Name("mc-budgets")
		two := `
  budgets = [
    { max_limit = 10, reset_duration = "1d" },
    { max_limit = 50, reset_duration = "1w" },
  ]`
		var dayID string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: mcConfig(tg, model, two),
					Check: func(s *terraform.State) error {
						mc := stored(t, tg, s)
						if len(mc.AllBudgets()) != 2 {
							return fmt.Errorf("budgets %+v", mc.AllBudgets())
						}
						for _, b := range mc.AllBudgets() {
							if b.ResetDuration == "1d" {
								dayID = b.ID
							}
						}
						return nil
					},
				},
				{
					Config: mcConfig(tg, model, `
  budgets = [{ max_limit = 12, reset_duration = "1d" }]`),
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					Check: func(s *terraform.State) error {
						b := stored(t, tg, s).AllBudgets()
						if len(b) != 1 || b[0].ID != dayID || b[0].MaxLimit != 12 {
							return fmt.Errorf("budgets not reconciled by reset_duration: %+v (1d id before %s)", b, dayID)
						}
						return nil
					},
				},
			},
		})
	})
}
