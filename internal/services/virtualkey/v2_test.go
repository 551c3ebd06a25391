package virtualkey_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccVirtualKey_v2 sets, changes and clears expires_at and
// blacklisted_models, and rotates the key by changing rotation_trigger
// (Bifrost ≥ 2.0).
func TestAccVirtualKey_v2(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Version: "v2.2.6"})
	if !tg.Version(t).AtLeast(2, 0) {
		t.Skipf("Bifrost %s has no expires_at, blacklisted_models nor rotation", tg.Version(t).Raw)
	}
	tg.EnsureProviders(t, "openai", "anthropic")
	keyName, name := acctest.Name("vk-k"), acctest.Name("vk-v2")
	exp1 := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339)
	exp2 := time.Now().Add(96 * time.Hour).UTC().Truncate(time.Second).Format(time.RFC3339)
	body := func(exp, trigger, black string) string {
		s := ""
		if exp != "" {
			s += fmt.Sprintf("  expires_at = %q\n", exp)
		}
		if trigger != "" {
			s += fmt.Sprintf("  rotation_trigger = %q\n", trigger)
		}
		s += "  provider_configs = {\n    openai = {\n"
		if black != "" {
			s += "      blacklisted_models = " + black + "\n"
		}
		return s + "    }\n  }\n"
	}
	var value string
	keepValue := resource.TestCheckResourceAttrWith(addr, "value", func(v string) error { value = v; return nil })
	newValue := resource.TestCheckResourceAttrWith(addr, "value", func(v string) error {
		if v == value {
			return fmt.Errorf("value unchanged: the key was not rotated")
		}
		value = v
		return nil
	})
	sameValue := resource.TestCheckResourceAttrWith(addr, "value", func(v string) error {
		if v != value {
			return fmt.Errorf("value changed without a rotation")
		}
		return nil
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{
				Config: vkConfig(tg, keyName, name, body(exp1, "a", `["gpt-3.5-turbo"]`)),
				Check: resource.ComposeAggregateTestCheckFunc(keepValue,
					resource.TestCheckResourceAttr(addr, "expires_at", exp1),
					resource.TestCheckResourceAttr(addr, "provider_configs.openai.blacklisted_models.0", "gpt-3.5-turbo")),
			},
			{
				Config: vkConfig(tg, keyName, name, body(exp2, "a", `["gpt-4"]`)),
				Check: resource.ComposeAggregateTestCheckFunc(sameValue,
					resource.TestCheckResourceAttr(addr, "expires_at", exp2),
					resource.TestCheckResourceAttr(addr, "provider_configs.openai.blacklisted_models.0", "gpt-4")),
			},
			{
				Config: vkConfig(tg, keyName, name, body(exp2, "b", `["gpt-4"]`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("value")),
				}},
				Check: newValue,
			},
			{
				Config: vkConfig(tg, keyName, name, body("", "b", "")),
				Check: resource.ComposeAggregateTestCheckFunc(sameValue,
					resource.TestCheckNoResourceAttr(addr, "expires_at"),
					func(s *terraform.State) error {
						vk, err := vkOf(tg, s)
						if err != nil {
							return err
						}
						if vk.ExpiresAt != "" {
							return fmt.Errorf("expires_at %q not cleared", vk.ExpiresAt)
						}
						return nil
					}),
			},
		},
	})
}

// TestAccVirtualKey_v2OnlyRefused: against Bifrost v1.5.1 each v2-only
// attribute is refused at plan time, naming the server's version.
func TestAccVirtualKey_v2OnlyRefused(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Version: "v1.5.1"})
	if tg.Version(t).AtLeast(2, 0) {
		t.Skipf("Bifrost %s has the v2 attributes", tg.Version(t).Raw)
	}
	tg.EnsureProviders(t, "openai")
	exp := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	for label, body := range map[string]string{
		"expires_at":         fmt.Sprintf("  expires_at = %q\n", exp),
		"rotation_trigger":   "  rotation_trigger = \"1\"\n",
		"blacklisted_models": "  provider_configs = { openai = { blacklisted_models = [\"gpt-4\"] } }\n",
	} {
		t.Run(label, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      vkConfig(tg, acctest.Name("vk-k"), acctest.Name("vk-v1"), body),
					ExpectError: regexp.MustCompile(`(?s)Not supported by this Bifrost version.*needs Bifrost ≥ 2\.0.*runs\s+v1\.5\.1`),
				}},
			})
		})
	}
}
