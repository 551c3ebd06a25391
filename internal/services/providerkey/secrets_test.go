package providerkey_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// secretsConfig holds one key of each kind of secret; suffix rotates them all.
func secretsConfig(tg *acctest.Target, names map[string]string, suffix string) string {
	return tg.ProviderConfig() + `
resource "bifrost_provider_key" "openai" {
  provider_name = "openai"
  name          = "` + names["openai"] + `"
  value         = "sk-secret-openai-0123456789abcdef` + suffix + `"
}

resource "bifrost_provider_key" "azure" {
  provider_name = "azure"
  name          = "` + names["azure"] + `"
  value         = "azure-secret-value-0123456789` + suffix + `"
  azure_key_config {
    endpoint      = "https://example-resource.localhost"
    client_id     = "client-id-0123456789"
    client_secret = "azure-client-secret-0123456789` + suffix + `"
    tenant_id     = "tenant-0123456789abc"
  }
}

resource "bifrost_provider_key" "vertex" {
  provider_name = "vertex"
  name          = "` + names["vertex"] + `"
  vertex_key_config {
    project_id       = "my-project-id"
    region           = "us-central1"
    auth_credentials = "{\"type\":\"service_account\",\"private_key\":\"vertex-private-0123456789` + suffix + `\"}"
  }
}

resource "bifrost_provider_key" "bedrock" {
  provider_name = "bedrock"
  name          = "` + names["bedrock"] + `"
  bedrock_key_config {
    access_key    = "AKIAEXAMPLEEXAMPLE01"
    secret_key    = "bedrock-secret-key-0123456789` + suffix + `"
    session_token = "bedrock-session-token-0123456789` + suffix + `"
    region        = "us-east-1"
  }
}
`
}

func secretsOf(suffix string) []string {
	return []string{
		"sk-secret-openai-0123456789abcdef" + suffix,
		"azure-secret-value-0123456789" + suffix,
		"azure-client-secret-0123456789" + suffix,
		"vertex-private-0123456789" + suffix,
		"bedrock-secret-key-0123456789" + suffix,
		"bedrock-session-token-0123456789" + suffix,
	}
}

// TestAccProviderKey_noSecretInLogs runs create, update (rotation), import
// and destroy with TF_LOG=trace, and searches Terraform's and the provider's
// logs for every secret.
func TestAccProviderKey_noSecretInLogs(t *testing.T) {
	traceLog := acctest.TraceLog(t)
	tg := acctest.New(t, emulator.Options{})
	tg.EnsureProviders(t, "openai", "azure", "vertex", "bedrock")
	names := map[string]string{}
	for _, p := range []string{"openai", "azure", "vertex", "bedrock"} {
		names[p] = acctest.Name("log-" + p)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             tg.CheckKeysDestroyed,
		Steps: []resource.TestStep{
			{Config: secretsConfig(tg, names, "AAAA")},
			{Config: secretsConfig(tg, names, "BBBB")},
			{
				ResourceName:      "bifrost_provider_key.azure",
				ImportState:       true,
				ImportStateIdFunc: acctest.ImportID("bifrost_provider_key.azure"),
			},
		},
	})
	text := traceLog()
	// The logs must really hold the provider's request logging, or this
	// test would pass by seeing nothing.
	for _, want := range []string{"Bifrost request", "Bifrost response", "/api/providers/azure/keys/", "ApplyResourceChange"} {
		if !strings.Contains(text, want) && !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(text) {
			t.Fatalf("the trace log (%d bytes) does not contain %q: logging was not captured", len(text), want)
		}
	}
	if err := acctest.NoSecretIn(text, append(secretsOf("AAAA"), secretsOf("BBBB")...)...); err != nil {
		t.Fatalf("trace log: %v", err)
	}
	if !strings.Contains(text, bifrost.Mask(secretsOf("BBBB")[0])) {
		t.Errorf("expected the mask of the openai key in the request log")
	}
	// No request ever carried a mask back to the server.
	for _, r := range tg.NeedEmulator(t).Requests() {
		if masked := maskedStrings(r.Body); len(masked) > 0 {
			t.Errorf("%s %s sent masks %v", r.Method, r.Path, masked)
		}
	}
	t.Logf("searched %d bytes of trace logs for %d secrets: none found", len(text), 12)
}

// maskedStrings returns the strings of a JSON body that look like Bifrost
// masks (model lists aside, where "*" means every model).
func maskedStrings(body string) []string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, c := range t {
				if k != "models" && k != "blacklisted_models" {
					walk(c)
				}
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		case string:
			if bifrost.LooksRedacted(t) {
				out = append(out, t)
			}
		}
	}
	walk(v)
	return out
}
