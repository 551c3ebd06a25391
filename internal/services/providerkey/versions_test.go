package providerkey_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
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
				ResourceName:      addr,
				ImportState:       true,
				ImportStateIdFunc: acctest.ImportID(addr),
				ImportStateVerify: true,
				// The step before leaves the block's secrets out: Bifrost keeps
				// them (not managed by Terraform), the import shows their masks.
				ImportStateVerifyIgnore: []string{"timeouts", "bedrock_mantle_key_config.region", "bedrock_mantle_key_config.access_key",
					"bedrock_mantle_key_config.secret_key", "bedrock_mantle_key_config.session_token"},
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
	cfg := func(modelName string) string {
		return keyConfig(tg, "bedrock", name, fmt.Sprintf(`
  aliases = { "fast" = "anthropic.claude-haiku" }
  alias_configs = {
    "smart" = {
      model_id              = "anthropic.claude-sonnet"
      model_name            = %q
      model_family          = "anthropic"
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
  }`, modelName))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg("Claude Sonnet"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("alias_configs").AtMapKey("smart").AtMapKey("model_family"), knownvalue.StringExact("anthropic")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("alias_configs").AtMapKey("plain-object").AtMapKey("model_id"), knownvalue.StringExact("anthropic.claude-opus")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("aliases").AtMapKey("fast"), knownvalue.StringExact("anthropic.claude-haiku")),
				},
			},
			{
				Config: cfg("Claude Sonnet 4"),
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

// TestAccProviderKey_serverDefaults creates keys that set no optional field
// against servers that report every default they store (Bifrost 2 answers
// use_anthropic_endpoints = false and use_for_batch_api = false on every
// key): the state holds the defaults, and the plans after apply and after
// import are empty.
func TestAccProviderKey_serverDefaults(t *testing.T) {
	versions := []string{"v1.5.1", "v2.2.6"}
	if acctest.Real() {
		versions = []string{"real"}
	}
	for _, version := range versions {
		t.Run(version, func(t *testing.T) {
			tg := acctest.New(t, emulator.Options{Version: strings.TrimPrefix(version, "real")})
			tg.EnsureProviders(t, "openai", "replicate", "vertex")
			name := acctest.Name("defaults")
			cfg := tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_provider_key" "test" {
  provider_name = "openai"
  name          = %[1]q
  value         = "sk-defaults-0123456789abcdefghij"
}

resource "bifrost_provider_key" "replicate" {
  provider_name = "replicate"
  name          = "%[1]s-rp"
  value         = "r8_defaultsdefaults0123456789"
  replicate_key_config {}
}

resource "bifrost_provider_key" "vertex" {
  provider_name = "vertex"
  name          = "%[1]s-vx"
  vertex_key_config {
    project_id = "my-project"
    region     = "us-central1"
  }
}
`, name)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             tg.CheckKeysDestroyed,
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("use_anthropic_endpoints"), knownvalue.Bool(false)),
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("use_for_batch_api"), knownvalue.Bool(false)),
							statecheck.ExpectKnownValue("bifrost_provider_key.replicate", tfjsonpath.New("replicate_key_config").AtMapKey("use_deployments_endpoint"), knownvalue.Bool(false)),
							statecheck.ExpectKnownValue("bifrost_provider_key.vertex", tfjsonpath.New("vertex_key_config").AtMapKey("force_single_region"), knownvalue.Bool(false)),
						},
						Check: func(s *terraform.State) error {
							// The premise: a Bifrost 2 server reports the default.
							if tg.Emulator == nil || !tg.Version(t).AtLeast(2, 0) {
								return nil
							}
							p, id, err := acctest.KeyID(s, addr)
							if err != nil {
								return err
							}
							if _, body := tg.Raw(t, http.MethodGet, "/api/providers/"+p+"/keys/"+id, ""); !strings.Contains(string(body), `"use_anthropic_endpoints":false`) {
								return fmt.Errorf("the server does not report use_anthropic_endpoints: %s", body)
							}
							return nil
						},
					},
					{
						ResourceName:            addr,
						ImportState:             true,
						ImportStateIdFunc:       acctest.ImportID(addr),
						ImportStateVerify:       true,
						ImportStateVerifyIgnore: []string{"timeouts", "value"},
					},
					{
						ResourceName:            "bifrost_provider_key.replicate",
						ImportState:             true,
						ImportStateIdFunc:       acctest.ImportID("bifrost_provider_key.replicate"),
						ImportStateVerify:       true,
						ImportStateVerifyIgnore: []string{"timeouts", "value"},
					},
				},
			})
		})
	}
}

// TestAccProviderKey_v1FieldsRefusedByV2: Bifrost 2 dropped azure's
// key-level api_version (it moved to the aliases), so the plan refuses it
// there, with the way to set it now.
func TestAccProviderKey_v1FieldsRefusedByV2(t *testing.T) {
	tg := acctest.New(t, emulator.Options{Version: "v2.2.6"})
	srv := tg.NeedEmulator(t)
	tg.EnsureProviders(t, "azure")
	srv.ResetRequests()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{{
			Config: keyConfig(tg, "azure", acctest.Name("v2"), `
  azure_key_config {
    endpoint    = "https://example-resource.localhost"
    api_version = "2024-10-21"
  }`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Not supported by this Bifrost version.*azure_key_config.api_version is not a\s+key field in Bifrost ≥ 2.0.*alias_configs`),
		}},
	})
	if n := srv.Count(http.MethodPost, "/api/"); n != 0 {
		t.Errorf("%d writes reached the server", n)
	}
}
