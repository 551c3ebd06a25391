package virtualkey_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccVirtualKey_dataSources reads a key by id and by name (with its
// budgets' and rate limits' usage, never its value), and the list.
func TestAccVirtualKey_dataSources(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		keyName, name := acctest.Name("vk-k"), acctest.Name("vk-ds")
		cfg := vkConfig(tg, keyName, name, `
  description = "read me"
  budgets     = [{ max_limit = 100, reset_duration = "1M" }]
  rate_limit  = { request_max_limit = 10, request_reset_duration = "1h" }
  provider_configs = {
    openai = {
      key_ids = [bifrost_provider_key.k.id]
      budgets = [{ max_limit = 10, reset_duration = "1d" }]
    }
  }
`) + `
data "bifrost_virtual_key" "by_id" {
  id = bifrost_virtual_key.test.id
}

data "bifrost_virtual_key" "by_name" {
  name = bifrost_virtual_key.test.name
}

data "bifrost_virtual_keys" "all" {
  depends_on = [bifrost_virtual_key.test]
}
`
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPair("data.bifrost_virtual_key.by_id", "name", addr, "name"),
					resource.TestCheckResourceAttrPair("data.bifrost_virtual_key.by_name", "id", addr, "id"),
					resource.TestCheckResourceAttr("data.bifrost_virtual_key.by_id", "description", "read me"),
					resource.TestCheckResourceAttr("data.bifrost_virtual_key.by_id", "budgets.0.current_usage", "0"),
					resource.TestCheckResourceAttrSet("data.bifrost_virtual_key.by_id", "budgets.0.id"),
					resource.TestCheckResourceAttr("data.bifrost_virtual_key.by_id", "rate_limit.request_current_usage", "0"),
					resource.TestCheckResourceAttr("data.bifrost_virtual_key.by_id", "provider_configs.0.provider", "openai"),
					resource.TestCheckResourceAttrPair("data.bifrost_virtual_key.by_id", "provider_configs.0.config_id", addr, "provider_configs.openai.config_id"),
					resource.TestCheckResourceAttrPair("data.bifrost_virtual_key.by_id", "provider_configs.0.key_ids.0", "bifrost_provider_key.k", "id"),
					resource.TestCheckResourceAttr("data.bifrost_virtual_key.by_id", "provider_configs.0.budgets.0.max_limit", "10"),
					resource.TestCheckNoResourceAttr("data.bifrost_virtual_key.by_id", "value"),
					func(s *terraform.State) error {
						ds := s.RootModule().Resources["data.bifrost_virtual_keys.all"].Primary.Attributes
						id := s.RootModule().Resources[addr].Primary.ID
						for k, v := range ds {
							if regexp.MustCompile(`^virtual_keys\.\d+\.id$`).MatchString(k) && v == id {
								return nil
							}
						}
						return fmt.Errorf("the list does not hold %s", id)
					},
				),
			}},
		})
	})
}

// TestAccVirtualKey_identityImport imports with an import block by
// resource identity (Terraform ≥ 1.12).
func TestAccVirtualKey_identityImport(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai")
	acctest.RunImportByIdentity(t, vkConfig(tg, acctest.Name("vk-k"), acctest.Name("vk-ident"), ""), addr, checkDestroyed(tg))
}

// TestAccVirtualKey_query lists the keys with terraform query
// (Terraform ≥ 1.14).
func TestAccVirtualKey_query(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai")
	name := acctest.Name("vk-query")
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{Config: vkConfig(tg, acctest.Name("vk-k"), name, ""), Check: captureID(&id)},
			{
				Query: true,
				Config: tg.ProviderConfig() + fmt.Sprintf(`
list "bifrost_virtual_key" "test" {
  provider         = bifrost
  include_resource = true
  config {
    name_regex = %q
  }
}
`, "^"+regexp.QuoteMeta(name)+"$"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("bifrost_virtual_key.test", 1),
					querycheck.ExpectResourceDisplayName("bifrost_virtual_key.test",
						queryfilter.ByDisplayName(knownvalue.StringExact(name)), knownvalue.StringExact(name)),
				},
			},
		},
	})
}
