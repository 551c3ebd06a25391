package virtualkey_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
)

// TestAccVirtualKey_applyErrors: what only Bifrost knows (a team, a
// provider or a provider key that does not exist) is reported from its
// answer, on the attribute at fault, and nothing is left behind.
func TestAccVirtualKey_applyErrors(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		cases := map[string]struct{ body, want string }{
			"unknown team": {`  team_id = "00000000-0000-4000-8000-000000000000"`,
				`(?s)Unknown team.*team_id`},
			"unknown key id": {`  provider_configs = { openai = { key_ids = ["no-such-key-id"] } }`,
				`(?s)Unknown provider key in key_ids.*key_ids of provider "openai"`},
			"provider not configured": {`  provider_configs = { notconfigured = {} }`,
				`(?s)Provider not configured in Bifrost.*"notconfigured"`},
		}
		for label, tc := range cases {
			t.Run(label, func(t *testing.T) {
				name := acctest.Name("vk-err")
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: acctest.ProviderFactories,
					Steps: []resource.TestStep{{
						Config:      vkConfig(tg, acctest.Name("vk-k"), name, tc.body),
						ExpectError: regexp.MustCompile(tc.want),
					}},
				})
				if left := namedVKs(t, tg, func(n string) bool { return n == name }); len(left) != 0 {
					t.Errorf("a refused create left %d virtual keys", len(left))
				}
			})
		}
	})
}
