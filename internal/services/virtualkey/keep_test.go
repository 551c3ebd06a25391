package virtualkey_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// limitIDs are the ids of what a virtual key's update must keep: its
// provider configs, budgets and rate limits (the server keeps a budget's
// usage with its row).
func limitIDs(vk *bifrost.VirtualKey) map[string]string {
	out := map[string]string{"value": vk.Value}
	for _, b := range vk.Budgets {
		out["budget "+b.ResetDuration] = fmt.Sprintf("%s usage=%v", b.ID, b.CurrentUsage)
	}
	if vk.RateLimit != nil {
		out["rate_limit"] = vk.RateLimit.ID
	}
	for _, pc := range vk.ProviderConfigs {
		out["pc "+pc.Provider] = fmt.Sprint(pc.ID)
		for _, b := range pc.Budgets {
			out["pc "+pc.Provider+" budget "+b.ResetDuration] = fmt.Sprintf("%s usage=%v", b.ID, b.CurrentUsage)
		}
		if pc.RateLimit != nil {
			out["pc "+pc.Provider+" rate_limit"] = pc.RateLimit.ID
		}
		out["pc "+pc.Provider+" keys"] = strings.Join(pc.KeyIDs(), ",")
	}
	return out
}

// recordUsage records usage on every budget of vk in the emulator and
// returns the key read again.
func recordUsage(tg *acctest.Target, s *terraform.State, vk *bifrost.VirtualKey) (*bifrost.VirtualKey, error) {
	budgets := append([]bifrost.Budget{}, vk.Budgets...)
	for _, pc := range vk.ProviderConfigs {
		budgets = append(budgets, pc.Budgets...)
	}
	for i, b := range budgets {
		if !tg.Emulator.RecordUsage(b.ID, 1.25+float64(i)) {
			return nil, fmt.Errorf("budget %s not in the emulator", b.ID)
		}
	}
	vk, err := vkOf(tg, s)
	if err == nil && len(budgets) > 0 && vk.Budgets[0].CurrentUsage == 0 {
		err = fmt.Errorf("recorded usage not shown: %+v", vk.Budgets[0])
	}
	return vk, err
}

// TestAccVirtualKey_descriptionOnlyKeepsIDs changes only the description:
// the one PUT keeps every provider config id, budget (and its usage),
// rate limit, the key_ids and the ownership. On the emulator every budget
// first records some usage (as traffic would), which a recreated budget
// would lose; on a real server the budgets' ids stand for it.
func TestAccVirtualKey_descriptionOnlyKeepsIDs(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		team, _ := owners(t, tg)
		keyName, name := acctest.Name("vk-k"), acctest.Name("vk-keep")
		body := func(desc string) string {
			return fmt.Sprintf(`
  description = %q
  team_id     = %q
  budgets     = [{ max_limit = 100, reset_duration = "1M" }, { max_limit = 10, reset_duration = "1d" }]
  rate_limit  = { request_max_limit = 10, request_reset_duration = "1h" }
  provider_configs = {
    openai = {
      allowed_models = ["gpt-4o"]
      key_ids        = [bifrost_provider_key.k.id]
      budgets        = [{ max_limit = 10, reset_duration = "1d" }]
      rate_limit     = { token_max_limit = 500, token_reset_duration = "1h" }
    }
    anthropic = {
      budgets = [{ max_limit = 1, reset_duration = "1w" }]
    }
  }
`, desc, team)
		}
		var before map[string]string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: vkConfig(tg, keyName, name, body("one")),
					Check: func(s *terraform.State) error {
						vk, err := vkOf(tg, s)
						if err != nil {
							return err
						}
						if tg.Emulator != nil {
							if vk, err = recordUsage(tg, s, vk); err != nil {
								return err
							}
						}
						before = limitIDs(vk)
						return nil
					},
				},
				{
					Config: vkConfig(tg, keyName, name, body("two")),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
						acctest.ExpectChangedLeaves(addr, nil, "description"),
					}},
					Check: func(s *terraform.State) error {
						vk, err := vkOf(tg, s)
						if err != nil {
							return err
						}
						if vk.Description != "two" || vk.TeamID != team {
							return fmt.Errorf("description %q, team %q", vk.Description, vk.TeamID)
						}
						after := limitIDs(vk)
						for k, v := range before {
							if after[k] != v {
								return fmt.Errorf("%s: %q before, %q after the description change", k, v, after[k])
							}
						}
						if len(after) != len(before) {
							return fmt.Errorf("ids before %v, after %v", before, after)
						}
						return nil
					},
				},
			},
		})
		if srv := tg.Emulator; srv != nil {
			puts := 0
			for _, r := range srv.Requests() {
				if r.Method == "PUT" && strings.HasPrefix(r.Path, "/api/governance/virtual-keys/") {
					puts++
				}
			}
			if puts != 1 {
				t.Errorf("%d PUTs, want 1 (one per update)", puts)
			}
		}
	})
}

// TestAccVirtualKey_storeValueFalse: with store_value = false the value is
// in neither the state nor the TRACE logs (Terraform's and the
// provider's); the ephemeral resource hands it to a write-only attribute
// (here a provider key's value_wo), still without state.
func TestAccVirtualKey_storeValueFalse(t *testing.T) {
	traceLog := acctest.TraceLog(t)
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		keyName, name, sinkName := acctest.Name("vk-k"), acctest.Name("vk-nostore"), acctest.Name("vk-sink")
		cfg := vkConfig(tg, keyName, name, `
  store_value = false
  description = "no value in state"
`)
		withSink := cfg + fmt.Sprintf(`
ephemeral "bifrost_virtual_key" "v" {
  name = bifrost_virtual_key.test.name
}

resource "bifrost_provider_key" "sink" {
  provider_name    = "anthropic"
  name             = %q
  value_wo         = ephemeral.bifrost_virtual_key.v.value
  value_wo_version = 1
  models           = ["*"]
}
`, sinkName)
		var value string
		readValue := func(s *terraform.State) error {
			vk, err := vkOf(tg, s)
			if err != nil {
				return err
			}
			value = vk.Value
			if !strings.HasPrefix(value, "sk-bf-") {
				return fmt.Errorf("unexpected value form")
			}
			return acctest.NoSecretInStateFile(value)(s)
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: cfg,
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckNoResourceAttr(addr, "value"),
						resource.TestCheckResourceAttr(addr, "store_value", "false"),
						readValue,
					),
				},
				{
					Config: withSink,
					Check: resource.ComposeAggregateTestCheckFunc(
						readValue,
						func(s *terraform.State) error {
							rs := s.RootModule().Resources["bifrost_provider_key.sink"]
							return tg.CheckStoredSecret("anthropic", rs.Primary.ID, value)(s)
						},
					),
				},
				{Config: withSink, PlanOnly: true},
			},
		})
		text := traceLog()
		if !strings.Contains(text, "/api/governance/virtual-keys") {
			t.Fatalf("the trace log (%d bytes) holds no virtual key request: logging was not captured", len(text))
		}
		if err := acctest.NoSecretIn(text, value); err != nil {
			t.Fatalf("trace log: %v", err)
		}
		// Logged by the emulator's request log, too? The value travels only
		// in answers, which the client masks.
		if m := regexp.MustCompile(`sk-bf-[0-9a-f-]{36}`).FindString(text); m != "" {
			t.Fatalf("the trace log holds a virtual key value")
		}
	})
}
