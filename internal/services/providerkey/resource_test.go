package providerkey_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

const addr = "bifrost_provider_key.test"

// keyScenario is one provider type's create → update → import cycle.
type keyScenario struct {
	provider string
	// create and update are the resource bodies; %[1]s is the key name.
	create, update string
	// checks run after create.
	checks []statecheck.StateCheck
	// masked are the attributes Bifrost returns only masked, which an
	// import therefore cannot read back.
	masked []string
	// v1Only marks a scenario with fields Bifrost 2 dropped: it runs
	// against Bifrost 1.x only.
	v1Only bool
}

var keyScenarios = map[string]keyScenario{
	"openai": {
		provider: "openai",
		create: `
  value              = "sk-test-openai-0123456789abcdefghij"
  models             = ["gpt-4o", "gpt-4o-mini"]
  blacklisted_models = ["gpt-3.5-turbo"]
  weight             = 2.5
  use_for_batch_api  = true
  aliases            = { "gpt-4o" = "gpt-4o-2024-08-06" }`,
		update: `
  value   = "sk-test-openai-0123456789abcdefghij"
  weight  = 1
  enabled = false`,
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("weight"), knownvalue.Float64Exact(2.5)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("models"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("gpt-4o"), knownvalue.StringExact("gpt-4o-mini")})),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("aliases").AtMapKey("gpt-4o"), knownvalue.StringExact("gpt-4o-2024-08-06")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_from_env"), knownvalue.Bool(false)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.NotNull()),
		},
		masked: []string{"value"},
	},
	"azure": {
		provider: "azure",
		create: `
  value = "azure-key-0123456789abcdef"
  azure_key_config {
    endpoint      = "https://example-resource.localhost"
    client_id     = "client-id-0123456789"
    client_secret = "client-secret-0123456789"
    tenant_id     = "tenant-0123456789abc"
    scopes        = ["https://cognitiveservices.azure.com/.default"]
  }`,
		update: `
  value = "azure-key-0123456789abcdef"
  azure_key_config {
    endpoint = "https://other-resource.localhost"
  }`,
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("azure_key_config").AtMapKey("scopes").AtSliceIndex(0),
				knownvalue.StringExact("https://cognitiveservices.azure.com/.default")),
		},
		masked: []string{"value", "azure_key_config.endpoint", "azure_key_config.client_id", "azure_key_config.client_secret", "azure_key_config.tenant_id"},
	},
	"azure-api-version": {
		provider: "azure",
		create: `
  azure_key_config {
    endpoint    = "https://example-resource.localhost"
    api_version = "2024-10-21"
  }`,
		update: `
  azure_key_config {
    endpoint    = "https://example-resource.localhost"
    api_version = "2025-01-01-preview"
  }`,
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("azure_key_config").AtMapKey("api_version"), knownvalue.StringExact("2024-10-21")),
		},
		masked: []string{"azure_key_config.endpoint"},
		v1Only: true,
	},
	"vertex": {
		provider: "vertex",
		create: `
  vertex_key_config {
    project_id       = "my-project-id"
    project_number   = "123456789012"
    region           = "us-central1"
    auth_credentials = jsonencode({ type = "service_account", project_id = "my-project-id" })
  }`,
		update: `
  vertex_key_config {
    project_id = "my-project-id"
    region     = "europe-west4"
  }`,
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("value"), knownvalue.Null()),
		},
		masked: []string{"vertex_key_config.project_id", "vertex_key_config.project_number", "vertex_key_config.region", "vertex_key_config.auth_credentials"},
	},
	"bedrock": {
		provider: "bedrock",
		create: `
  bedrock_key_config {
    access_key    = "AKIAEXAMPLEEXAMPLE01"
    secret_key    = "secretkeyexample0123456789abcdef"
    session_token = "session-token-0123456789abcdef"
    region        = "us-east-1"
    arn           = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/x"
    batch_s3_config {
      bucket {
        bucket_name = "b1"
        prefix      = "jobs/"
        is_default  = true
      }
      bucket {
        bucket_name = "b2"
      }
    }
  }`,
		update: `
  bedrock_key_config {
    access_key = "AKIAEXAMPLEEXAMPLE01"
    secret_key = "secretkeyexample0123456789abcdef"
    region     = "eu-west-1"
    role_arn     = "arn:aws:iam::123456789012:role/bifrost"
    external_id  = "external-0123456789"
    session_name = "bifrost-session"
    batch_s3_config {
      bucket {
        bucket_name = "b3"
        is_default  = true
      }
    }
  }`,
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("bedrock_key_config").AtMapKey("batch_s3_config").AtMapKey("bucket").AtSliceIndex(1).AtMapKey("prefix"), knownvalue.StringExact("")),
		},
		masked: []string{"bedrock_key_config.access_key", "bedrock_key_config.secret_key", "bedrock_key_config.session_token", "bedrock_key_config.region", "bedrock_key_config.arn", "bedrock_key_config.role_arn", "bedrock_key_config.external_id", "bedrock_key_config.session_name"},
	},
	"vllm": {
		provider: "vllm",
		create: `
  vllm_key_config {
    url        = "http://127.0.0.1:9"
    model_name = "llama-3-8b"
  }`,
		update: `
  vllm_key_config {
    url        = "http://127.0.0.1:9"
    model_name = "meta-llama/Llama-3-70B"
  }`,
		masked: []string{"vllm_key_config.url"},
	},
	"ollama": {
		provider: "ollama",
		create: `
  ollama_key_config {
    url = "http://127.0.0.1:11434"
  }`,
		update: `
  weight = 4
  ollama_key_config {
    url = "http://127.0.0.1:11435"
  }`,
		masked: []string{"ollama_key_config.url"},
	},
	"sgl": {
		provider: "sgl",
		create: `
  sgl_key_config {
    url = "http://127.0.0.1:30000"
  }`,
		update: `
  sgl_key_config {
    url = "env.` + acctest.TestEnvVar + `"
  }`,
		masked: []string{"sgl_key_config.url"},
	},
	"replicate": {
		provider: "replicate",
		create: `
  value = "r8_exampleexampleexample0123"
  replicate_key_config {
    use_deployments_endpoint = true
  }`,
		update: `
  value = "r8_exampleexampleexample0123"
  replicate_key_config {
    use_deployments_endpoint = false
  }`,
		checks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("replicate_key_config").AtMapKey("use_deployments_endpoint"), knownvalue.Bool(true)),
		},
		masked: []string{"value"},
	},
}

func keyConfig(tg *acctest.Target, provider, name, body string) string {
	return tg.ProviderConfig() + fmt.Sprintf(`
resource "bifrost_provider_key" "test" {
  provider_name = %q
  name          = %q
%s
}
`, provider, name, body)
}

// TestAccProviderKey_providerTypes runs, for each provider type's block:
// create → plan empty → update in place → import verify → destroy.
func TestAccProviderKey_providerTypes(t *testing.T) {
	for label, sc := range keyScenarios {
		t.Run(label, func(t *testing.T) {
			tg := acctest.New(t, emulator.Options{})
			if sc.v1Only && tg.Version(t).AtLeast(2, 0) {
				t.Skipf("Bifrost %s has no such field", tg.Version(t).Raw)
			}
			tg.EnsureProviders(t, sc.provider)
			name := acctest.Name(label)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             tg.CheckKeysDestroyed,
				Steps: []resource.TestStep{
					{
						Config: keyConfig(tg, sc.provider, name, sc.create),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
						},
						ConfigStateChecks: append([]statecheck.StateCheck{
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.NotNull()),
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
							statecheck.ExpectKnownValue(addr, tfjsonpath.New("provider_name"), knownvalue.StringExact(sc.provider)),
						}, sc.checks...),
					},
					{
						Config: keyConfig(tg, sc.provider, name, sc.update),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
					{
						ResourceName:            addr,
						ImportState:             true,
						ImportStateIdFunc:       acctest.ImportID(addr),
						ImportStateVerify:       true,
						ImportStateVerifyIgnore: append([]string{"timeouts"}, sc.masked...),
					},
				},
			})
		})
	}
}

// TestAccProviderKey_drift changes each field out of band and expects a plan
// that changes exactly that field; then rotates the secret, switches the
// reference, and deletes the key out of band.
func TestAccProviderKey_drift(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai")
	name, id := acctest.Name("drift"), acctest.Name("drift-id")
	const secret = "sk-drift-0123456789abcdefghijklmn"
	body := func(value string) string {
		return fmt.Sprintf(`
  id                 = %q
  value              = %q
  models             = ["gpt-4o"]
  blacklisted_models = ["o1"]
  weight             = 2
  aliases            = { "gpt-4o" = "gpt-4o-2024-08-06" }
`, id, value)
	}
	cfg := keyConfig(tg, "openai", name, body(secret))
	oob := func(change func(k *bifrost.Key)) func() {
		return func() { tg.ChangeKey(t, "openai", id, secret, change) }
	}
	driftStep := func(attr string, change func(k *bifrost.Key)) resource.TestStep {
		return resource.TestStep{
			PreConfig: oob(change),
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, attr)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{Config: cfg},
			driftStep("name", func(k *bifrost.Key) { k.Name += "-renamed" }),
			driftStep("weight", func(k *bifrost.Key) { k.Weight = 7 }),
			driftStep("enabled", func(k *bifrost.Key) { k.Enabled = ptr(false) }),
			driftStep("use_for_batch_api", func(k *bifrost.Key) { k.UseForBatchAPI = true }),
			driftStep("models", func(k *bifrost.Key) { k.Models = []string{"*"} }),
			driftStep("blacklisted_models", func(k *bifrost.Key) { k.BlacklistedModels = nil }),
			driftStep("aliases", func(k *bifrost.Key) { k.Aliases = map[string]string{"gpt-4o": "other"} }),
			// A rotation outside Terraform: the mask no longer matches.
			driftStep("value", func(k *bifrost.Key) { k.Value = bifrost.Literal("sk-rotated-ZYXWVUTSRQPONMLKJIHG") }),
			// A switch to a reference outside Terraform.
			{
				PreConfig: oob(func(k *bifrost.Key) { k.Value = bifrost.Literal("env." + acctest.TestEnvVar) }),
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "value", "value_env_var", "value_from_env")},
				},
			},
			// The configuration switches to a reference, then to another.
			{
				Config: keyConfig(tg, "openai", name, body("env."+acctest.TestEnvVar)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "value", "value_env_var", "value_from_env")},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_env_var"), knownvalue.StringExact("env."+acctest.TestEnvVar)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_from_env"), knownvalue.Bool(true)),
				},
			},
			{
				Config: keyConfig(tg, "openai", name, body("env."+acctest.TestEnvVar2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "value", "value_env_var")},
				},
			},
			// Someone points the key at another variable: drift.
			{
				PreConfig: func() {
					tg.ChangeKey(t, "openai", id, "env."+acctest.TestEnvVar2, func(k *bifrost.Key) { k.Value = bifrost.Literal("env." + acctest.TestEnvVar) })
				},
				Config: keyConfig(tg, "openai", name, body("env."+acctest.TestEnvVar2)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "value", "value_env_var")},
				},
			},
			// Deleted outside Terraform: the plan creates it again.
			{
				PreConfig: func() { tg.DeleteKey(t, "openai", id) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
				},
			},
			// Deleted again; destroy must still succeed.
			{
				PreConfig: func() { tg.DeleteKey(t, "openai", id) },
				Config:    cfg,
				Destroy:   true,
			},
		},
	})
}

func ptr[T any](v T) *T { return &v }

// TestAccProviderKey_importByName imports with "<provider>/name=<name>" and
// checks that the plan after import changes nothing but the secret, which
// cannot be read back.
func TestAccProviderKey_importByName(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai")
	name := acctest.Name("import")
	cfg := keyConfig(tg, "openai", name, `
  value  = "env.`+acctest.TestEnvVar+`"
  models = ["gpt-4o"]`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				// A reference is not secret: an import reads it back, so
				// everything verifies.
				ResourceName:            addr,
				ImportState:             true,
				ImportStateId:           "openai/name=" + name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "openai/name=no-such-key-" + name,
				ExpectError:   regexp.MustCompile(`has no key named`),
			},
			{
				ResourceName:  addr,
				ImportState:   true,
				ImportStateId: "openai",
				ExpectError:   regexp.MustCompile(`expected\s+"<provider>/<key_id>"`),
			},
		},
	})
}

// TestAccProviderKey_nameTaken expects a clear diagnostic with an import
// block when the name belongs to a key created outside Terraform.
func TestAccProviderKey_nameTaken(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai", "anthropic")
	name := acctest.Name("taken")
	existing := tg.CreateKey(t, "anthropic", bifrost.Key{Name: name, Value: bifrost.Literal("sk-ant-0123456789abcdefghij"), Models: []string{"*"}, Weight: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{{
			Config: keyConfig(tg, "openai", name, `  value = "sk-openai-0123456789abcdefghij"`),
			ExpectError: regexp.MustCompile(`(?s)Key name already taken.*of\s+provider\s+"anthropic".*import\s+\{\s+to\s+=\s+bifrost_provider_key\.` +
				regexp.QuoteMeta(name) + `\s+id\s+=\s+"anthropic/` + regexp.QuoteMeta(existing.ID) + `"`),
		}},
	})
}

// TestAccProviderKey_writeOnly creates a key from value_wo, checks the secret
// is nowhere in the state, rotates it with value_wo_version, and detects a
// rotation made outside Terraform.
func TestAccProviderKey_writeOnly(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai")
	name, id := acctest.Name("wo"), acctest.Name("wo-id")
	const first, second = "sk-wo-first-0123456789abcdefghij", "sk-wo-second-0123456789abcdefghi"
	cfg := func(secret string, version int) string {
		return keyConfig(tg, "openai", name, fmt.Sprintf(`
  id               = %q
  value_wo         = %q
  value_wo_version = %d`, id, secret, version))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{
				Config: cfg(first, 1),
				Check:  resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(first), tg.CheckStoredSecret("openai", id, first)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value"), knownvalue.Null()),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("value_wo"), knownvalue.Null()),
				},
			},
			{
				Config: cfg(second, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "value_wo_version")},
				},
				Check: resource.ComposeTestCheckFunc(acctest.NoSecretInStateFile(second), tg.CheckStoredSecret("openai", id, second)),
			},
			{
				PreConfig: func() {
					tg.ChangeKey(t, "openai", id, second, func(k *bifrost.Key) { k.Value = bifrost.Literal("sk-someone-else-0123456789abcdefg") })
				},
				Config: cfg(second, 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "value_wo_version")},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: tg.CheckStoredSecret("openai", id, second),
			},
		},
	})
}

// TestAccProviderKey_importByIdentity imports with an import block by
// resource identity (Terraform ≥ 1.12; TestIdentityImport covers the same
// path through the provider server on older CLIs).
func TestAccProviderKey_importByIdentity(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai")
	cfg := keyConfig(tg, "openai", acctest.Name("ident"), `
  value  = "env.`+acctest.TestEnvVar+`"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// TestAccProviderKey_importBlockPlan imports with an import {} block and a
// configuration matching the server: the plan is empty when the secret is a
// reference (readable back), and changes only the secret when it is a
// literal (Bifrost only shows its mask; applying writes the same value).
func TestAccProviderKey_importBlockPlan(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "azure")
	for label, value := range map[string]string{"reference": "env." + acctest.TestEnvVar, "literal": "azure-literal-0123456789abcdef"} {
		t.Run(label, func(t *testing.T) {
			cfg := keyConfig(tg, "azure", acctest.Name("importblock"), fmt.Sprintf(`
  value   = %q
  models  = ["gpt-4o"]
  weight  = 3
  aliases = { "gpt-4o" = "my-deployment" }
  azure_key_config {
    endpoint = "env.%s"
  }`, value, acctest.TestEnvVar2))
			importStep := resource.TestStep{
				Config:            cfg,
				ResourceName:      addr,
				ImportState:       true,
				ImportStateKind:   resource.ImportBlockWithID,
				ImportStateIdFunc: acctest.ImportID(addr),
			}
			if label == "literal" {
				importStep.ExpectNonEmptyPlan = true
				importStep.ImportPlanChecks = resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{acctest.ExpectChangedAttributes(addr, "value")},
				}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				CheckDestroy:             tg.CheckKeysDestroyed,
				Steps:                    []resource.TestStep{{Config: cfg}, importStep},
			})
		})
	}
}
