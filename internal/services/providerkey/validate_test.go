package providerkey_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// badInput is a configuration that must fail at plan time with a message
// naming the problem.
type badInput struct {
	name     string
	provider string // provider block; empty for the target's
	resource string // body of bifrost_provider_key.test
	want     string // regexp of the diagnostic
}

const okKey = `
  provider_name = "openai"
  name          = "k"
  value         = "sk-valid-0123456789abcdefghij"`

var badInputs = []badInput{
	{name: "empty provider", resource: `provider_name = ""
  name = "k"
  value = "sk-0123456789abcdef"`, want: `Invalid provider name(?s:.*)"" is not a valid provider name`},
	{name: "provider with a space", resource: `provider_name = "open ai"
  name = "k"
  value = "sk-0123456789abcdef"`, want: `"open ai" is not a valid provider name`},
	{name: "wildcard mixed in models", resource: okKey + `
  models = ["*", "gpt-4o"]`, want: `(?s)Wildcard mixed with model names.*models is \["\*", "gpt-4o"\]|models is \["gpt-4o", "\*"\]`},
	{name: "wildcard mixed in blacklist", resource: okKey + `
  blacklisted_models = ["*", "x"]`, want: `(?s)Wildcard mixed with model names.*blacklisted_models`},
	{name: "empty model name", resource: okKey + `
  models = [""]`, want: `models contains an empty model name`},
	{name: "two provider blocks", resource: `provider_name = "azure"
  name = "k"
  azure_key_config {
    endpoint = "https://x.openai.azure.com"
  }
  vertex_key_config {
    project_id = "p"
  }`, want: `(?s)Only one provider-specific block.*azure_key_config and vertex_key_config`},
	{name: "block of another provider", resource: `provider_name = "azure"
  name = "k"
  vertex_key_config {
    project_id = "p"
  }`, want: `(?s)Block does not match the provider.*vertex_key_config configures vertex keys, but\s+provider_name is "azure"`},
	{name: "replicate block on openai", resource: okKey + `
  replicate_key_config {
    use_deployments_endpoint = true
  }`, want: `replicate_key_config configures replicate keys`},
	{name: "bedrock block on vertex", resource: `provider_name = "vertex"
  name = "k"
  bedrock_key_config {
    region = "us-east-1"
  }`, want: `bedrock_key_config configures bedrock keys`},
	{name: "ollama without block", resource: `provider_name = "ollama"
  name = "k"`, want: `(?s)Missing ollama URL.*ollama_key_config`},
	{name: "ollama block without url", resource: `provider_name = "ollama"
  name = "k"
  ollama_key_config {}`, want: `Missing ollama URL`},
	{name: "sgl without url", resource: `provider_name = "sgl"
  name = "k"`, want: `Missing sgl URL`},
	{name: "openai without value", resource: `provider_name = "openai"
  name = "k"`, want: `(?s)Missing key value.*openai keys need a value`},
	{name: "anthropic with empty value", resource: `provider_name = "anthropic"
  name = "k"
  value = ""`, want: `anthropic keys need a value`},
	{name: "negative weight", resource: okKey + `
  weight = -1`, want: `(?s)weight must be at least 0, got -1\.`},
	{name: "empty alias target", resource: okKey + `
  aliases = { "gpt-4o" = "" }`, want: `(?s)aliases.*length must be at least 1`},
	{name: "alias in aliases and alias_configs", resource: okKey + `
  aliases = { "fast" = "gpt-4o-mini" }
  alias_configs = { "fast" = { model_id = "gpt-4o-mini" } }`, want: `(?s)Alias defined twice.*"fast" is in both aliases and alias_configs`},
	{name: "model family Bifrost does not know", resource: okKey + `
  alias_configs = { "smart" = { model_id = "gpt-4o", model_family = "claude" } }`, want: `(?s)model_family.*value must be one of.*"anthropic"`},
	{name: "azure alias field on a bedrock key", resource: `provider_name = "bedrock"
  name = "k"
  alias_configs = { "smart" = { model_id = "anthropic.claude", api_version = "2024-10-21" } }`,
		want: `(?s)Alias field of another provider.*api_version in alias "smart" applies to azure keys\s+only`},
	{name: "empty aliases map", resource: okKey + `
  aliases = {}`, want: `(?s)aliases.*must contain at least 1 elements`},
	{name: "env reference without a name", resource: `provider_name = "openai"
  name = "k"
  value = "env."`, want: `(?s)Malformed secret reference.*"env\." looks like a reference`},
	{name: "upper-case env prefix", resource: `provider_name = "openai"
  name = "k"
  value = "ENV.OPENAI_API_KEY"`, want: `"ENV.OPENAI_API_KEY" looks like a reference`},
	{name: "env name with a dash", resource: `provider_name = "openai"
  name = "k"
  value = "env.MY-KEY"`, want: `"env.MY-KEY" looks like a reference`},
	{name: "empty vault path", resource: `provider_name = "openai"
  name = "k"
  value = "vault."`, want: `"vault\." looks like a reference`},
	{name: "malformed reference in a block", resource: `provider_name = "azure"
  name = "k"
  azure_key_config {
    endpoint = "Env.AZURE_ENDPOINT"
  }`, want: `(?s)Malformed secret reference.*"Env.AZURE_ENDPOINT" looks like a reference`},
	{name: "value and value_wo together", resource: okKey + `
  value_wo = "sk-other-0123456789abcdef"
  value_wo_version = 1`, want: `(?s)Invalid Attribute Combination.*value_wo`},
	{name: "value_wo without version", resource: `provider_name = "openai"
  name = "k"
  value_wo = "sk-wo-0123456789abcdef"`, want: `(?s)Invalid Attribute Combination.*value_wo_version`},
	{name: "version without value_wo", resource: okKey + `
  value_wo_version = 3`, want: `(?s)Invalid Attribute Combination.*value_wo`},
	{name: "empty name", resource: `provider_name = "openai"
  name = ""
  value = "sk-0123456789abcdef"`, want: `(?s)name.*length must be at least 1`},
	{name: "empty id", resource: okKey + `
  id = ""`, want: `(?s)id.*length must be between 1 and 255`},
	{name: "bucket without name", resource: `provider_name = "bedrock"
  name = "k"
  bedrock_key_config {
    batch_s3_config {
      bucket {
        prefix = "x/"
      }
    }
  }`, want: `(?s)Missing required argument.*bucket_name`},
	{name: "unknown argument", resource: okKey + `
  deployment = "x"`, want: `Unsupported argument`},
	{name: "weight of the wrong type", resource: okKey + `
  weight = "heavy"`, want: `(?s)Incorrect attribute value type|number required`},
	{name: "endpoint without scheme", provider: `endpoint = "localhost:8080"`, resource: okKey, want: `(?s)Invalid Bifrost endpoint.*must be an http:// or https:// URL`},
	{name: "endpoint with another scheme", provider: `endpoint = "ftp://bifrost.example.com"`, resource: okKey, want: `"ftp://bifrost.example.com" must be an http:// or https://`},
	{name: "token and basic auth", provider: `endpoint = "%s"
  token = "t0k3n"
  username = "admin"
  password = "secret-password"`, resource: okKey, want: `Conflicting authentication settings`},
	{name: "username without password", provider: `endpoint = "%s"
  username = "admin"`, resource: okKey, want: `Incomplete basic authentication`},
	{name: "bad request timeout", provider: `endpoint = "%s"
  request_timeout = "soon"`, resource: okKey, want: `"soon" is not a positive duration`},
	{name: "negative max_retries", provider: `endpoint = "%s"
  max_retries = -1`, resource: okKey, want: `max_retries is -1; it must be between 0 and 100`},
	{name: "CA that is not PEM", provider: `endpoint = "%s"
  ca_cert_pem = "not a certificate"`, resource: okKey, want: `No PEM-encoded certificate could be read`},
}

// TestAccProviderKey_badInput checks every bad input fails at plan time with
// its message, and that nothing reached the server.
func TestAccProviderKey_badInput(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	srv := tg.NeedEmulator(t)
	tg.EnsureProviders(t, "openai", "azure", "vertex", "ollama", "sgl", "anthropic", "bedrock")
	srv.ResetRequests()

	var steps []resource.TestStep
	for _, in := range badInputs {
		providerBlock := tg.ProviderConfig()
		if in.provider != "" {
			p := in.provider
			if regexp.MustCompile(`%s`).MatchString(p) {
				p = fmt.Sprintf(p, tg.Endpoint)
			}
			providerBlock = "provider \"bifrost\" {\n  " + p + "\n}\n"
		}
		steps = append(steps, resource.TestStep{
			Config:      providerBlock + "resource \"bifrost_provider_key\" \"test\" {\n  " + in.resource + "\n}\n",
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(in.want),
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps:                    steps,
	})
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		if n := srv.Count(m, "/api/"); n != 0 {
			t.Errorf("%d %s requests reached the server during failed validations", n, m)
		}
	}
	t.Logf("%d bad inputs rejected at plan time", len(badInputs))
}
