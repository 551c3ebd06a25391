package virtualkey_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/services/governance/governancetest"
)

const addr = "bifrost_virtual_key.test"

// ensureProviders configures the providers the keys of the acceptance
// tests refer to.
func ensureProviders(t *testing.T, tg *acctest.Target) { tg.EnsureProviders(t, "openai", "anthropic") }

// vkConfig is the provider block, a provider key of openai (k) and the
// virtual key "test" with body.
func vkConfig(tg *acctest.Target, keyName, name, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_provider_key" "k" {
  provider_name = "openai"
  name          = %q
  value         = "sk-vk-test-0123456789abcdefghij"
  models        = ["*"]
}

resource "bifrost_virtual_key" "test" {
  name = %q
%s
}
`, keyName, name, body)
}

// vkOf reads the virtual key of addr out of band.
func vkOf(tg *acctest.Target, s *terraform.State) (*bifrost.VirtualKey, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return nil, fmt.Errorf("%s not in state", addr)
	}
	return tg.Client.GetVirtualKey(context.Background(), rs.Primary.ID)
}

func checkDestroyed(tg *acctest.Target) resource.TestCheckFunc {
	return governancetest.CheckDestroyed(tg, "bifrost_virtual_key")
}

// owners creates a team and a customer out of band, deleted at the end.
func owners(t *testing.T, tg *acctest.Target) (teamID, customerID string) {
	t.Helper()
	team, err := tg.Client.CreateTeam(acctest.Ctx(t), bifrost.TeamCreate{Name: acctest.Name("vk-team")})
	if err != nil {
		t.Fatal(err)
	}
	cust, err := tg.Client.CreateCustomer(acctest.Ctx(t), bifrost.CustomerCreate{Name: acctest.Name("vk-cust")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = tg.Client.DeleteTeam(context.Background(), team.ID)
		_ = tg.Client.DeleteCustomer(context.Background(), cust.ID)
	})
	return team.ID, cust.ID
}

var valueRE = regexp.MustCompile(`^sk-bf-`)

// TestAccVirtualKey_lifecycle: create with every field, update each
// field, remove the optional ones, import by id and by name, destroy.
func TestAccVirtualKey_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		team, cust := owners(t, tg)
		keyName, name, name2 := acctest.Name("vk-k"), acctest.Name("vk"), acctest.Name("vk-renamed")
		create := fmt.Sprintf(`
  description = "first"
  team_id     = %q
  budgets     = [{ max_limit = 100, reset_duration = "1M" }]
  rate_limit  = { token_max_limit = 1000, token_reset_duration = "1h", request_max_limit = 10, request_reset_duration = "1m" }
  provider_configs = {
    openai = {
      weight         = 0.5
      allowed_models = ["gpt-4o"]
      key_ids        = [bifrost_provider_key.k.id]
      budgets        = [{ max_limit = 10, reset_duration = "1d" }]
      rate_limit     = { request_max_limit = 5, request_reset_duration = "1h" }
    }
  }
`, team)
		update := fmt.Sprintf(`
  description      = "second"
  is_active        = false
  customer_id      = %q
  calendar_aligned = true
  budgets          = [{ max_limit = 200, reset_duration = "1M" }, { max_limit = 20, reset_duration = "1w" }]
  rate_limit       = { request_max_limit = 20, request_reset_duration = "1h" }
  provider_configs = {
    openai = {
      weight         = 0.25
      allowed_models = ["gpt-4o", "gpt-4o-mini"]
      key_ids        = ["*"]
      budgets        = [{ max_limit = 15, reset_duration = "1d" }]
      rate_limit     = { token_max_limit = 50, token_reset_duration = "1h" }
    }
    anthropic = {
      allowed_models = []
      key_ids        = []
    }
  }
`, cust)
		var firstPC uint
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: vkConfig(tg, keyName, name, create),
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr(addr, "description", "first"),
						resource.TestCheckResourceAttr(addr, "team_id", team),
						resource.TestCheckNoResourceAttr(addr, "customer_id"),
						resource.TestCheckResourceAttr(addr, "is_active", "true"),
						resource.TestMatchResourceAttr(addr, "value", valueRE),
						resource.TestCheckResourceAttr(addr, "provider_configs.openai.weight", "0.5"),
						resource.TestCheckResourceAttrPair(addr, "provider_configs.openai.key_ids.0", "bifrost_provider_key.k", "id"),
						func(s *terraform.State) error {
							vk, err := vkOf(tg, s)
							if err != nil {
								return err
							}
							if len(vk.ProviderConfigs) != 1 || len(vk.Budgets) != 1 || vk.RateLimit == nil || vk.TeamID != team {
								return fmt.Errorf("stored key differs: %+v", vk)
							}
							pc := vk.ProviderConfigs[0]
							if len(pc.Budgets) != 1 || pc.RateLimit == nil || pc.AllowAllKeys || len(pc.Keys) != 1 {
								return fmt.Errorf("stored provider config differs: %+v", pc)
							}
							firstPC = pc.ID
							return nil
						},
					),
				},
				{
					Config: vkConfig(tg, keyName, name2, update),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					}},
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr(addr, "name", name2),
						resource.TestCheckResourceAttr(addr, "is_active", "false"),
						resource.TestCheckResourceAttr(addr, "customer_id", cust),
						resource.TestCheckNoResourceAttr(addr, "team_id"),
						resource.TestCheckResourceAttr(addr, "calendar_aligned", "true"),
						resource.TestCheckResourceAttr(addr, "budgets.#", "2"),
						resource.TestCheckNoResourceAttr(addr, "rate_limit.token_max_limit"),
						resource.TestCheckResourceAttr(addr, "provider_configs.openai.key_ids.0", "*"),
						resource.TestCheckResourceAttr(addr, "provider_configs.anthropic.allowed_models.#", "0"),
						func(s *terraform.State) error {
							vk, err := vkOf(tg, s)
							if err != nil {
								return err
							}
							if vk.RateLimit == nil || vk.RateLimit.TokenMaxLimit != nil || vk.CustomerID != cust || vk.TeamID != "" {
								return fmt.Errorf("stored key differs: %+v", vk)
							}
							for _, pc := range vk.ProviderConfigs {
								if pc.Provider == "openai" {
									if pc.ID != firstPC {
										return fmt.Errorf("openai config id %d, want %d kept", pc.ID, firstPC)
									}
									if pc.RateLimit == nil || pc.RateLimit.RequestMaxLimit != nil || tfInt(pc.RateLimit.TokenMaxLimit) != 50 {
										return fmt.Errorf("openai rate limit: %+v", pc.RateLimit)
									}
									if !pc.AllowAllKeys {
										return fmt.Errorf("openai config does not allow all keys")
									}
								}
							}
							return nil
						},
					),
				},
				{
					// Everything optional removed.
					Config: vkConfig(tg, keyName, name2, ""),
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckNoResourceAttr(addr, "customer_id"),
						resource.TestCheckNoResourceAttr(addr, "budgets.#"),
						resource.TestCheckNoResourceAttr(addr, "rate_limit.request_max_limit"),
						resource.TestCheckNoResourceAttr(addr, "provider_configs.%"),
						resource.TestCheckResourceAttr(addr, "is_active", "true"),
						func(s *terraform.State) error {
							vk, err := vkOf(tg, s)
							if err != nil {
								return err
							}
							if len(vk.ProviderConfigs) != 0 || len(vk.Budgets) != 0 || vk.RateLimit != nil || vk.CustomerID != "" {
								return fmt.Errorf("stored key keeps removed fields: %+v", vk)
							}
							return nil
						},
					),
				},
				{Config: vkConfig(tg, keyName, name2, create)},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "name=" + name2},
			},
		})
	})
}

func tfInt(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
