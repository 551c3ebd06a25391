package providergovernance_test

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
)

// TestAccProviderGovernanceDataSource reads a provider's limits with usage,
// and refuses a provider Bifrost does not have.
func TestAccProviderGovernanceDataSource(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		name := acctest.Name("pg-ds")
		ds := "data.bifrost_provider_governance.test"
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: govConfig(tg, name, limits1) + `
data "bifrost_provider_governance" "test" {
  provider_name = bifrost_provider_governance.test.provider_name
}
`,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("budgets").AtSliceIndex(0).AtMapKey("max_limit"), knownvalue.Float64Exact(100)),
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("budgets").AtSliceIndex(0).AtMapKey("current_usage"), knownvalue.Float64Exact(0)),
						statecheck.ExpectKnownValue(ds, tfjsonpath.New("rate_limit").AtMapKey("token_max_limit"), knownvalue.Int64Exact(1000000)),
					},
				},
				{
					Config: tg.ProviderConfig() + `
data "bifrost_provider_governance" "test" {
  provider_name = "` + name + `-none"
}
`,
					ExpectError: regexp.MustCompile(`Provider not found`),
				},
			},
		})
	})
}
