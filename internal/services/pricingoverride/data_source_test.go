package pricingoverride_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// TestAccPricingOverrideDataSources reads overrides created out of band, by
// id, by name and as a list filtered by name and scope kind.
func TestAccPricingOverrideDataSources(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		prefix := acctest.Name("pricing-ds")
		ctx := acctest.Ctx(t)
		a, err := tg.Client.CreatePricingOverride(ctx, bifrost.PricingOverrideCreate{
			Name: prefix + "-a", ScopeKind: "virtual_key_provider", VirtualKeyID: "vk-ds", ProviderID: "openai", MatchType: "exact",
			Pattern: "gpt-4o", RequestTypes: []string{"chat_completion", "responses"}, Patch: bifrost.PricingPatch{"input_cost_per_token": 3e-6},
		})
		if err != nil {
			t.Fatal(err)
		}
		b, err := tg.Client.CreatePricingOverride(ctx, bifrost.PricingOverrideCreate{
			Name: prefix + "-b", ScopeKind: "global", MatchType: "wildcard", Pattern: "claude-*", RequestTypes: []string{"embedding"},
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			for _, id := range []string{a.ID, b.ID} {
				_ = tg.Client.DeletePricingOverride(acctest.Ctx(t), id)
			}
		})
		cfg := tg.ProviderConfig() + fmt.Sprintf(`
data "bifrost_pricing_override" "by_id" {
  id = %q
}
data "bifrost_pricing_override" "by_name" {
  name = %q
}
data "bifrost_pricing_overrides" "mine" {
  name_regex = "^%s-"
}
data "bifrost_pricing_overrides" "global" {
  name_regex = "^%s-"
  scope_kind = "global"
}
`, a.ID, prefix+"-b", prefix, prefix)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			Steps: []resource.TestStep{{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.bifrost_pricing_override.by_id", tfjsonpath.New("virtual_key_id"), knownvalue.StringExact("vk-ds")),
					statecheck.ExpectKnownValue("data.bifrost_pricing_override.by_id", tfjsonpath.New("provider_key_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.bifrost_pricing_override.by_id", tfjsonpath.New("request_types"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("chat_completion"), knownvalue.StringExact("responses")})),
					statecheck.ExpectKnownValue("data.bifrost_pricing_override.by_id", tfjsonpath.New("patch").AtMapKey("input_cost_per_token"), knownvalue.Float64Exact(3e-6)),
					statecheck.ExpectKnownValue("data.bifrost_pricing_override.by_name", tfjsonpath.New("id"), knownvalue.StringExact(b.ID)),
					statecheck.ExpectKnownValue("data.bifrost_pricing_override.by_name", tfjsonpath.New("pattern"), knownvalue.StringExact("claude-*")),
					statecheck.ExpectKnownValue("data.bifrost_pricing_overrides.mine", tfjsonpath.New("ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(a.ID), knownvalue.StringExact(b.ID)})),
					statecheck.ExpectKnownValue("data.bifrost_pricing_overrides.global", tfjsonpath.New("ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(b.ID)})),
				},
			}},
		})
	})
}
