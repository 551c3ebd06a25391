package providerkey_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
	"github.com/maximhq/terraform-provider-bifrost/internal/secret"
)

// TestAccProviderKeyDataSource_lookup reads keys created outside Terraform
// by id and by name, and checks every top-level attribute, the masks and
// the sensitivity of value.
func TestAccProviderKeyDataSource_lookup(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai")
	const secret = "sk-ds-0123456789abcdefghijklmnop"
	literal := tg.CreateKey(t, "openai", bifrost.Key{
		Name: acctest.Name("ds-literal"), Value: bifrost.Literal(secret),
		Models: []string{"gpt-4o", "gpt-4o-mini"}, BlacklistedModels: []string{"o1"}, Weight: 2.5,
		Aliases: map[string]string{"gpt-4o": "gpt-4o-2024-08-06"}, Enabled: new(false), UseForBatchAPI: true,
	})
	ref := tg.CreateKey(t, "openai", bifrost.Key{
		Name: acctest.Name("ds-ref"), Value: bifrost.Literal("env." + acctest.TestEnvVar), Models: []string{"*"}, Weight: 1,
	})
	cfg := tg.ProviderConfig() + fmt.Sprintf(`
data "bifrost_provider_key" "by_id" {
  provider_name = "openai"
  id            = %q
}

data "bifrost_provider_key" "by_name" {
  provider_name = "openai"
  name          = %q
}

data "bifrost_provider_key" "ref" {
  provider_name = "openai"
  name          = %q
}
`, literal.ID, literal.Name, ref.Name)

	byID, byName, refAddr := "data.bifrost_provider_key.by_id", "data.bifrost_provider_key.by_name", "data.bifrost_provider_key.ref"
	str := knownvalue.StringExact
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("name"), str(literal.Name)),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("value"), str(bifrost.Mask(secret))),
		statecheck.ExpectSensitiveValue(byID, tfjsonpath.New("value")),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("value_env_var"), str("")),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("value_from_env"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("weight"), knownvalue.Float64Exact(2.5)),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("use_for_batch_api"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("models"), knownvalue.SetExact([]knownvalue.Check{str("gpt-4o"), str("gpt-4o-mini")})),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("blacklisted_models"), knownvalue.SetExact([]knownvalue.Check{str("o1")})),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("aliases"), knownvalue.MapExact(map[string]knownvalue.Check{"gpt-4o": str("gpt-4o-2024-08-06")})),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("azure_key_config"), knownvalue.Null()),
		statecheck.ExpectKnownValue(byID, tfjsonpath.New("status"), knownvalue.NotNull()),

		statecheck.ExpectKnownValue(byName, tfjsonpath.New("id"), str(literal.ID)),

		// A reference: Bifrost returns the mask of the value it resolved.
		statecheck.ExpectKnownValue(refAddr, tfjsonpath.New("value"), str(bifrost.Mask(acctest.TestEnvValue))),
		statecheck.ExpectKnownValue(refAddr, tfjsonpath.New("value_env_var"), str("env."+acctest.TestEnvVar)),
		statecheck.ExpectKnownValue(refAddr, tfjsonpath.New("value_from_env"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(refAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
		statecheck.ExpectKnownValue(refAddr, tfjsonpath.New("aliases"), knownvalue.Null()),
	}
	// By name and by id read the same key.
	for _, attr := range []string{"id", "name", "value", "weight", "enabled", "models", "blacklisted_models", "aliases", "config_hash", "status", "description"} {
		checks = append(checks, statecheck.CompareValuePairs(byID, tfjsonpath.New(attr), byName, tfjsonpath.New(attr), compare.ValuesSame()))
	}

	lookup := func(by, value string) string {
		return tg.ProviderConfig() + fmt.Sprintf(`
data "bifrost_provider_key" "test" {
  provider_name = "openai"
  %s = %q
}
`, by, value)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      lookup("id", "no-such-id"),
				ExpectError: regexp.MustCompile(`(?s)Provider key not found.*Provider "openai" has no key with id\s+"no-such-id"`),
			},
			{
				Config:      lookup("name", "no-such-name"),
				ExpectError: regexp.MustCompile(`(?s)Provider key not found.*Provider "openai" has no key named\s+"no-such-name"`),
			},
			{
				Config: tg.ProviderConfig() + fmt.Sprintf(`
data "bifrost_provider_key" "test" {
  provider_name = "openai"
  id            = %q
  name          = %q
}
`, literal.ID, literal.Name),
				ExpectError: regexp.MustCompile(`Invalid Attribute Combination`),
			},
			{
				Config: tg.ProviderConfig() + `
data "bifrost_provider_key" "test" {
  provider_name = "openai"
}
`,
				ExpectError: regexp.MustCompile(`Missing Attribute Configuration`),
			},
			{Config: cfg, ConfigStateChecks: checks},
		},
	})
}

// TestAccProviderKeyDataSource_providerConfigs reads keys of every provider
// type created by the resource, and checks that the data source shows every
// attribute of the resource, the secrets as Bifrost masks them.
func TestAccProviderKeyDataSource_providerConfigs(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	// Bifrost 1.x masks a literal azure endpoint; Bifrost 2 shows it.
	endpoint := bifrost.Mask("https://example-resource.localhost")
	if tg.Version(t).AtLeast(2, 0) {
		endpoint = "https://example-resource.localhost"
	}
	bodies := map[string]string{
		"azure": `
  value = "azure-key-0123456789abcdef"
  azure_key_config {
    endpoint      = "https://example-resource.localhost"
    client_id     = "client-id-0123456789"
    client_secret = "client-secret-0123456789"
    tenant_id     = "tenant-0123456789abc"
    scopes        = ["https://cognitiveservices.azure.com/.default"]
  }`,
		"vertex": `
  vertex_key_config {
    project_id       = "my-project-id"
    project_number   = "123456789012"
    region           = "us-central1"
    auth_credentials = jsonencode({ type = "service_account", project_id = "my-project-id" })
  }`,
		"bedrock": `
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
		"vllm": `
  vllm_key_config {
    url        = "http://127.0.0.1:9"
    model_name = "llama-3-8b"
  }`,
		"ollama": `
  ollama_key_config {
    url = "http://127.0.0.1:11434"
  }`,
		"sgl": `
  sgl_key_config {
    url = "env.` + acctest.TestEnvVar + `"
  }`,
		"replicate": `
  value = "r8_exampleexampleexample0123"
  replicate_key_config {
    use_deployments_endpoint = true
  }`,
	}
	cfg := tg.ProviderConfig()
	var checks []resource.TestCheckFunc
	for provider, body := range bodies {
		tg.EnsureProviders(t, provider)
		cfg += fmt.Sprintf(`
resource "bifrost_provider_key" %[1]q {
  provider_name = %[1]q
  name          = %[2]q
%[3]s
}

data "bifrost_provider_key" %[1]q {
  provider_name = %[1]q
  id            = bifrost_provider_key.%[1]s.id
}
`, provider, acctest.Name("ds-"+provider), body)
		checks = append(checks, checkShownAsImported("data.bifrost_provider_key."+provider, "bifrost_provider_key."+provider, clearFields(tg.Version(t))))
	}
	sensitive := func(provider, config, field string) statecheck.StateCheck {
		return statecheck.ExpectSensitiveValue("data.bifrost_provider_key."+provider, tfjsonpath.New(config).AtMapKey(field))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check:  resource.ComposeAggregateTestCheckFunc(checks...),
			ConfigStateChecks: []statecheck.StateCheck{
				sensitive("azure", "azure_key_config", "client_secret"),
				sensitive("vertex", "vertex_key_config", "auth_credentials"),
				sensitive("bedrock", "bedrock_key_config", "access_key"),
				sensitive("bedrock", "bedrock_key_config", "secret_key"),
				sensitive("bedrock", "bedrock_key_config", "session_token"),
				statecheck.ExpectKnownValue("data.bifrost_provider_key.azure", tfjsonpath.New("azure_key_config").AtMapKey("endpoint"), knownvalue.StringExact(endpoint)),
				statecheck.ExpectKnownValue("data.bifrost_provider_key.sgl", tfjsonpath.New("sgl_key_config").AtMapKey("url"), knownvalue.StringExact("env."+acctest.TestEnvVar)),
				statecheck.ExpectKnownValue("data.bifrost_provider_key.vertex", tfjsonpath.New("value"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.bifrost_provider_key.vertex", tfjsonpath.New("azure_key_config"), knownvalue.Null()),
			},
		}},
	})
}

// clearFields are the provider-specific fields a Bifrost of version v
// returns in clear; it masks every other one (references aside).
func clearFields(v bifrost.ServerVersion) map[string]bool {
	inClear := map[string]bool{
		"api_version": true, "scopes": true, "model_name": true, "use_deployments_endpoint": true, "force_single_region": true,
		"bucket_name": true, "prefix": true, "is_default": true,
	}
	if v.AtLeast(2, 0) {
		inClear["endpoint"] = true // the azure endpoint
	}
	return inClear
}

// checkShownAsImported compares a data source with the resource that wrote
// the key (with literal secrets): the data source must show every attribute
// of the resource but the write-only ones and timeouts, each equal to the
// resource's, except value and the provider-specific fields not in
// clearFields, which must be the resource's value masked (or, for a field,
// the reference); and it must show nothing else.
// writeOnlyCompanions is, per block, the number of attributes the data
// sources do not show: X_wo and X_wo_version of each secret.
var writeOnlyCompanions = map[string]int{
	"azure_key_config": 2, "vertex_key_config": 2, "bedrock_key_config": 6, "bedrock_mantle_key_config": 6,
}

func checkShownAsImported(dsAddr, resAddr string, inClear map[string]bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ds, res := s.RootModule().Resources[dsAddr], s.RootModule().Resources[resAddr]
		if ds == nil || res == nil {
			return fmt.Errorf("%s or %s not in state", dsAddr, resAddr)
		}
		configs := 0
		for k, v := range res.Primary.Attributes {
			top, _, nested := strings.Cut(k, ".")
			want := v
			switch {
			case top == "value_wo" || top == "value_wo_version" || top == "timeouts" || top == "%":
				continue
			case secret.IsWriteOnlyCompanion(k[strings.LastIndex(k, ".")+1:]):
				continue // the write-only form of a block's secret, and its version: not shown
			case nested && k == top+".%" && writeOnlyCompanions[top] > 0:
				n, err := strconv.Atoi(v)
				if err != nil {
					return err
				}
				want = strconv.Itoa(n - writeOnlyCompanions[top])
			case top == "value":
				want = bifrost.Mask(v)
			case strings.HasSuffix(top, "_key_config") && nested:
				configs++
				if !isCount(k) && !inClear[fieldOf(k)] && !bifrost.IsReference(v) {
					want = bifrost.Mask(v)
				}
			}
			if got, ok := ds.Primary.Attributes[k]; !ok || got != want {
				return fmt.Errorf("%s: %s = %q (present: %t), want %q", dsAddr, k, got, ok, want)
			}
		}
		for k := range ds.Primary.Attributes {
			if _, ok := res.Primary.Attributes[k]; !ok && k != "%" {
				return fmt.Errorf("%s: %s is not in the resource %s", dsAddr, k, resAddr)
			}
		}
		if configs == 0 {
			return fmt.Errorf("%s: no provider-specific field to compare", resAddr)
		}
		return nil
	}
}

// isCount reports whether a flatmap key is the size of a list, set or map.
func isCount(k string) bool {
	return strings.HasSuffix(k, ".#") || strings.HasSuffix(k, ".%")
}

// fieldOf is the attribute name of a flatmap key, without list indexes:
// "azure_key_config.scopes.0" → "scopes".
func fieldOf(k string) string {
	parts := strings.Split(k, ".")
	for i := len(parts) - 1; i > 0; i-- {
		if _, err := strconv.Atoi(parts[i]); err != nil {
			return parts[i]
		}
	}
	return parts[0]
}

// TestAccProviderKeysDataSource_filters lists a provider's keys with each
// filter, and checks the order, the ids and the masks.
func TestAccProviderKeysDataSource_filters(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai", "anthropic")
	prefix := acctest.Name("dss")
	const secretA, secretC = "sk-dss-a-0123456789abcdefghijklm", "sk-dss-c-0123456789abcdefghijklm"
	a := tg.CreateKey(t, "openai", bifrost.Key{Name: prefix + "-a", Value: bifrost.Literal(secretA), Models: []string{"gpt-4o"}, Weight: 1})
	b := tg.CreateKey(t, "openai", bifrost.Key{Name: prefix + "-b", Value: bifrost.Literal("env." + acctest.TestEnvVar), Models: []string{"*"}, Weight: 1})
	c := tg.CreateKey(t, "openai", bifrost.Key{Name: prefix + "-c", Value: bifrost.Literal(secretC), Models: []string{"*"}, Weight: 1, Enabled: new(false)})
	other := tg.CreateKey(t, "anthropic", bifrost.Key{Name: prefix + "-other", Value: bifrost.Literal(secretA), Models: []string{"*"}, Weight: 1})

	all := "^" + regexp.QuoteMeta(prefix) + "-"
	cfg := tg.ProviderConfig() + fmt.Sprintf(`
data "bifrost_provider_keys" "unfiltered" {
  provider_name = "openai"
}

data "bifrost_provider_keys" "all" {
  provider_name = "openai"
  name_regex    = %[1]q
}

data "bifrost_provider_keys" "disabled" {
  provider_name = "openai"
  name_regex    = %[1]q
  enabled       = false
}

data "bifrost_provider_keys" "enabled_a_or_c" {
  provider_name = "openai"
  name_regex    = "-(a|c)$"
  enabled       = true
}

data "bifrost_provider_keys" "none" {
  provider_name = "openai"
  name_regex    = "^no-key-has-this-name$"
}
`, all)
	str := knownvalue.StringExact
	ids := func(keys ...*bifrost.Key) knownvalue.Check {
		var checks []knownvalue.Check
		for _, k := range keys {
			checks = append(checks, str(k.ID))
		}
		return knownvalue.ListExact(checks)
	}
	allAddr := "data.bifrost_provider_keys.all"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					// Bifrost's (creation) order.
					statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("ids"), ids(a, b, c)),
					statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("keys").AtSliceIndex(0).AtMapKey("name"), str(a.Name)),
					statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("keys").AtSliceIndex(0).AtMapKey("id"), str(a.ID)),
					statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("keys").AtSliceIndex(0).AtMapKey("value"), str(bifrost.Mask(secretA))),
					statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("keys").AtSliceIndex(0).AtMapKey("models"), knownvalue.SetExact([]knownvalue.Check{str("gpt-4o")})),
					statecheck.ExpectSensitiveValue(allAddr, tfjsonpath.New("keys").AtSliceIndex(0).AtMapKey("value")),
					statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("keys").AtSliceIndex(1).AtMapKey("value_env_var"), str("env."+acctest.TestEnvVar)),
					statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("keys").AtSliceIndex(2).AtMapKey("value"), str(bifrost.Mask(secretC))),
					statecheck.ExpectKnownValue(allAddr, tfjsonpath.New("keys").AtSliceIndex(2).AtMapKey("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.bifrost_provider_keys.disabled", tfjsonpath.New("ids"), ids(c)),
					statecheck.ExpectKnownValue("data.bifrost_provider_keys.enabled_a_or_c", tfjsonpath.New("ids"), ids(a)),
					statecheck.ExpectKnownValue("data.bifrost_provider_keys.none", tfjsonpath.New("ids"), knownvalue.ListExact(nil)),
					statecheck.ExpectKnownValue("data.bifrost_provider_keys.none", tfjsonpath.New("keys"), knownvalue.ListExact(nil)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					// Without filters: every key of the provider (others may
					// exist on a shared server), none of another provider.
					resource.TestCheckTypeSetElemAttr("data.bifrost_provider_keys.unfiltered", "ids.*", a.ID),
					resource.TestCheckTypeSetElemAttr("data.bifrost_provider_keys.unfiltered", "ids.*", b.ID),
					resource.TestCheckTypeSetElemAttr("data.bifrost_provider_keys.unfiltered", "ids.*", c.ID),
					func(s *terraform.State) error {
						for k, v := range s.RootModule().Resources["data.bifrost_provider_keys.unfiltered"].Primary.Attributes {
							if v == other.ID {
								return fmt.Errorf("%s lists %s, a key of another provider", k, v)
							}
						}
						return nil
					},
				),
			},
			{
				// Rejected at validation, before any read: a read would fail
				// on the unknown provider instead.
				Config: tg.ProviderConfig() + `
data "bifrost_provider_keys" "test" {
  provider_name = "no-such-provider"
  name_regex    = "key-(a|b"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid regular expression.*key-\(a\|b`),
			},
			{
				Config: tg.ProviderConfig() + `
data "bifrost_provider_keys" "test" {
  provider_name = "no-such-provider"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Cannot list the provider's keys.*"no-such-provider"`),
			},
		},
	})
}
