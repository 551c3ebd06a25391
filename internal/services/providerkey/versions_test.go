package providerkey_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

const v2Fields = `
  use_anthropic_endpoints = true
  bedrock_mantle_key_config {
    access_key    = "AKIAEXAMPLEMANTLE001"
    secret_key    = "mantle-secret-0123456789abcdef"
    session_token = "mantle-session-0123456789abcdef"
    region        = "us-west-2"
    role_arn      = "arn:aws:iam::123456789012:role/mantle"
    external_id   = "mantle-external-0123"
    session_name  = "mantle-session"
    project_id    = "mantle-project-0123"
  }`

// TestAccProviderKey_v2Fields manages the fields only Bifrost 2 has, against
// a v2 server: create → plan empty → update → import.
func TestAccProviderKey_v2Fields(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Version: "v2.2.6"})
	if v, err := tg.Client.ServerVersion(acctest.Ctx(t)); err != nil || !v.AtLeast(2, 0) {
		t.Skipf("needs a Bifrost 2 server (%v, %v)", v.Raw, err)
	}
	tg.EnsureProviders(t, "bedrock_mantle", "vertex")
	name := acctest.Name("v2")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{
				Config: keyConfig(tg, "bedrock_mantle", name, v2Fields),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("use_anthropic_endpoints"), knownvalue.Bool(true)),
				},
			},
			{
				Config: keyConfig(tg, "bedrock_mantle", name, `
  use_anthropic_endpoints = false
  bedrock_mantle_key_config {
    region = "eu-central-1"
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "use_anthropic_endpoints", "bedrock_mantle_key_config")},
				},
			},
			{
				ResourceName:            addr,
				ImportState:             true,
				ImportStateIdFunc:       acctest.ImportID(addr),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "bedrock_mantle_key_config.region"},
			},
			{
				Config: keyConfig(tg, "vertex", name+"-vx", `
  vertex_key_config {
    project_id          = "my-project"
    region              = "us-central1"
    force_single_region = true
  }`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("vertex_key_config").AtMapKey("force_single_region"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// TestAccProviderKey_v2FieldsRefusedByV15: a v1.5 server would silently
// drop the v2 fields, so the plan refuses them, naming the server's version.
func TestAccProviderKey_v2FieldsRefusedByV15(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Version: "v1.5.1"})
	srv := tg.NeedEmulator(t)
	tg.EnsureProviders(t, "openai")
	srv.ResetRequests()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: keyConfig(tg, "openai", acctest.Name("v15"), `
  value                   = "sk-v15-0123456789abcdefghij"
  use_anthropic_endpoints = true`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Not supported by this Bifrost version.*use_anthropic_endpoints needs\s+Bifrost ≥ 2.0.*v1.5.1`),
		}},
	})
	if n := srv.Count(http.MethodGet, "/api/version"); n != 1 {
		t.Errorf("/api/version asked %d times, want once", n)
	}
	if n := srv.Count(http.MethodPost, "/api/"); n != 0 {
		t.Errorf("%d writes reached the server", n)
	}
}

// TestAccProviderKey_richAliases manages v2 rich aliases next to plain ones,
// including one with only a model_id (which Bifrost writes as a plain
// string): no diff after apply, precise updates, import.
func TestAccProviderKey_richAliases(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Version: "v2.2.6"})
	if v, err := tg.Client.ServerVersion(acctest.Ctx(t)); err != nil || !v.AtLeast(2, 0) {
		t.Skipf("needs a Bifrost 2 server (%v, %v)", v.Raw, err)
	}
	tg.EnsureProviders(t, "bedrock")
	name := acctest.Name("rich")
	cfg := func(family string) string {
		return keyConfig(tg, "bedrock", name, fmt.Sprintf(`
  aliases = { "fast" = "anthropic.claude-haiku" }
  alias_configs = {
    "smart" = {
      model_id              = "anthropic.claude-sonnet"
      model_name            = "Claude Sonnet"
      model_family          = %q
      inference_profile_arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/smart"
      region                = "us-east-1"
      use_anthropic_endpoints = true
    }
    "plain-object" = {
      model_id = "anthropic.claude-opus"
    }
  }
  bedrock_key_config {
    region = "us-east-1"
  }`, family))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg("claude"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("alias_configs").AtMapKey("smart").AtMapKey("model_family"), knownvalue.StringExact("claude")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("alias_configs").AtMapKey("plain-object").AtMapKey("model_id"), knownvalue.StringExact("anthropic.claude-opus")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("aliases").AtMapKey("fast"), knownvalue.StringExact("anthropic.claude-haiku")),
				},
			},
			{
				Config: cfg("claude-4"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "alias_configs")},
				},
			},
			{
				ResourceName:      addr,
				ImportState:       true,
				ImportStateIdFunc: acctest.ImportID(addr),
				ImportStateVerify: true,
				// An import cannot tell a rich alias that has only a model_id
				// (written as a plain string) from a plain alias; secret-wrapper
				// fields may come back masked.
				ImportStateVerifyIgnore: []string{
					"timeouts", "aliases", "alias_configs.plain-object", "alias_configs.%",
					"alias_configs.smart.inference_profile_arn", "alias_configs.smart.region", "bedrock_key_config.region",
				},
			},
		},
	})
}
