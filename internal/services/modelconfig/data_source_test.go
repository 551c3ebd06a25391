package modelconfig_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
)

// TestAccModelConfigDataSources reads a model config by id and by natural
// key, and lists the model configs, with usage.
func TestAccModelConfigDataSources(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		model := acctest.Name("mc-ds")
		cfg := mcConfig(tg, model, openAI1) + fmt.Sprintf(`
data "bifrost_model_config" "by_id" {
  id = bifrost_model_config.test.id
}

data "bifrost_model_config" "by_key" {
  model_name    = bifrost_model_config.test.model_name
  provider_name = "openai"
}

data "bifrost_model_configs" "mine" {
  model_name_regex = "^%s$"
  provider_name    = "openai"
  depends_on       = [bifrost_model_config.test]
}
`, model)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.bifrost_model_config.by_key", tfjsonpath.New("budgets").AtSliceIndex(0).AtMapKey("current_usage"), knownvalue.Float64Exact(0)),
					statecheck.ExpectKnownValue("data.bifrost_model_config.by_key", tfjsonpath.New("rate_limit").AtMapKey("token_max_limit"), knownvalue.Int64Exact(1000)),
					statecheck.ExpectKnownValue("data.bifrost_model_configs.mine", tfjsonpath.New("model_configs"), knownvalue.ListSizeExact(1)),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrPair("data.bifrost_model_config.by_id", "model_name", addr, "model_name"),
					resource.TestCheckResourceAttr("data.bifrost_model_config.by_id", "provider_name", "openai"),
					resource.TestCheckResourceAttrPair("data.bifrost_model_config.by_key", "id", addr, "id"),
					resource.TestCheckResourceAttrPair("data.bifrost_model_configs.mine", "ids.0", addr, "id"),
				),
			}},
		})
	})
}
