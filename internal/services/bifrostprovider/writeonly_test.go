package bifrostprovider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccProvider_writeOnlyProxyPassword configures the proxy password
// write-only: no byte of it in the state or the plan, the server holds it,
// and bumping password_wo_version sends the new one. (A change made outside
// Terraform cannot be detected: Bifrost answers "<REDACTED>" for any
// password.)
func TestAccProvider_writeOnlyProxyPassword(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("wo-proxy")
	const first, second = "proxy-wo-first-0123456789abcdef", "proxy-wo-second-0123456789abcdef"
	all := []string{first, second}
	// The password comes from an ephemeral variable, as a write-only secret
	// should: a literal in a nested attribute (proxy_config = { ... }) is
	// one constant expression, which Terraform copies whole into the
	// "configuration" section of the plan JSON, sensitive members included.
	cfg := func(version int) string {
		return `
variable "proxy_password" {
  type      = string
  sensitive = true
  ephemeral = true
}
` + providerConfig(tg, name, customBody+fmt.Sprintf(`
  proxy_config = {
    type                = "http"
    url                 = "http://proxy.internal:3128"
    username            = "proxy-user"
    password_wo         = var.proxy_password
    password_wo_version = %d
  }`, version))
	}
	vars := func(password string) config.Variables {
		return config.Variables{"proxy_password": config.StringVariable(password)}
	}
	stored := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if tg.Emulator == nil {
				return nil
			}
			p := tg.Emulator.Proxy(name)
			if p == nil || p.Password != want {
				return fmt.Errorf("the emulator does not store the configured proxy password (%+v)", p)
			}
			return nil
		}
	}
	stateChecks := []statecheck.StateCheck{
		acctest.NoSecretInState(all...),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("proxy_config").AtMapKey("password"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("proxy_config").AtMapKey("password_wo"), knownvalue.Null()),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{
				Config:          cfg(1),
				ConfigVariables: vars(first),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{acctest.NoSecretInPlan(all...)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), acctest.NoSecretInPlan(all...)},
				},
				ConfigStateChecks: append(stateChecks,
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("proxy_config").AtMapKey("password_wo_version"), knownvalue.Int64Exact(1))),
				Check: resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...), stored(first),
					checkServer(tg, name, func(p *bifrost.Provider) error {
						if p.ProxyConfig == nil || p.ProxyConfig.Password == nil || p.ProxyConfig.Password.Value == first {
							return fmt.Errorf("server proxy_config %+v: expected a redacted password", p.ProxyConfig)
						}
						return nil
					})),
			},
			{
				Config:          cfg(2),
				ConfigVariables: vars(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						acctest.ExpectChangedLeaves(addr, readOnly, "proxy_config.password_wo_version"), acctest.NoSecretInPlan(all...),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: stateChecks,
				Check:             resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(all...), stored(second)),
			},
		},
	})
}
