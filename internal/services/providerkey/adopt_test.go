package providerkey_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

const (
	adoptOpenAISecret = "sk-adopt-0123456789abcdefghijklmn"
	adoptAzureSecret  = "azure-client-secret-0123456789ab"
)

// adoptKeys creates, outside Terraform, an openai key and an azure key with
// a service principal secret, as keys of an existing Bifrost are.
func adoptKeys(t *testing.T, tg *acctest.Target, prefix string) (openai, azure *bifrost.Key) {
	tg.EnsureProviders(t, "openai", "azure")
	openai = tg.CreateKey(t, "openai", bifrost.Key{
		ID: prefix + "-openai", Name: prefix + "-openai", Value: bifrost.Literal(adoptOpenAISecret),
		Models: []string{"gpt-4o"}, Weight: 1,
	})
	azure = tg.CreateKey(t, "azure", bifrost.Key{
		ID: prefix + "-azure", Name: prefix + "-azure", Value: bifrost.Literal(""), Models: []string{"*"}, Weight: 1,
		AzureKeyConfig: &bifrost.AzureKeyConfig{
			Endpoint:     bifrost.Literal("https://adopt-resource.localhost"),
			ClientID:     ptr(bifrost.Literal("00000000-0000-0000-0000-000000000001")),
			ClientSecret: ptr(bifrost.Literal(adoptAzureSecret)),
			TenantID:     ptr(bifrost.Literal("00000000-0000-0000-0000-000000000002")),
		},
	})
	return openai, azure
}

// checkAdopted applies the configuration of cli's directory, which imports
// the two keys with a configuration Terraform generated, and checks what
// adoption promises: the file applies as written, imports both keys without
// a write, leaves their secrets as Bifrost holds them (a warning says so,
// the state holds no secret), and the next plan is empty; a change of the
// keys is then refused at plan time, because Terraform knows their secrets
// only as masks.
func checkAdopted(t *testing.T, tg *acctest.Target, cli *acctest.CLI, openai, azure *bifrost.Key) {
	generated := cli.Read("generated.tf")
	for _, want := range []string{"null # sensitive", `resource "bifrost_provider_key"`} {
		if !strings.Contains(generated, want) {
			t.Errorf("generated configuration lacks %q:\n%s", want, generated)
		}
	}
	var writes func() int
	if tg.Emulator != nil {
		tg.Emulator.ResetRequests()
		writes = func() int { return tg.Emulator.LockStats().Writes }
	}
	out := cli.Run("apply", "-auto-approve")
	if !strings.Contains(out, "2 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("apply of the generated configuration did not just import the two keys:\n%s", out)
	}
	if !acctest.Spaced(`Secret not managed by Terraform`).MatchString(out) {
		t.Errorf("apply does not warn that the secrets are left to Bifrost:\n%s", out)
	}
	if writes != nil && writes() != 0 {
		t.Errorf("adoption wrote to Bifrost %d times, want none", writes())
	}
	if out, code := cli.Exit("plan", "-detailed-exitcode"); code != 0 {
		t.Errorf("plan after adoption: exit %d, want 0 (no changes):\n%s", code, out)
	}
	if err := acctest.NoSecretIn(cli.Read("terraform.tfstate")+out, adoptOpenAISecret, adoptAzureSecret); err != nil {
		t.Error(err)
	}
	for _, k := range []*bifrost.Key{openai, azure} {
		got, err := tg.Client.GetKey(acctest.Ctx(t), map[*bifrost.Key]string{openai: "openai", azure: "azure"}[k], k.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Value.Value != k.Value.Value {
			t.Errorf("key %s: Bifrost shows %q after adoption, %q before", k.ID, got.Value.Value, k.Value.Value)
		}
	}
	if tg.Emulator != nil {
		if s := tg.StoredKey("azure", azure.ID).Secrets["azure_key_config.client_secret"]; s != adoptAzureSecret {
			t.Errorf("the azure key's client secret changed in Bifrost")
		}
	}

	// A change of the adopted keys needs their secrets.
	cli.Write("generated.tf", regexp.MustCompile(`weight\s*=\s*1\b`).ReplaceAllString(generated, "weight = 2"))
	out, code := cli.Exit("plan")
	if code == 0 || !acctest.Spaced(`Secret known only by its mask`).MatchString(out) ||
		!acctest.Spaced(`set value, or value_wo with value_wo_version, to the real value`).MatchString(out) {
		t.Errorf("a change of an adopted key without its secret: exit %d, want the mask refused, naming value:\n%s", code, out)
	}
	if err := acctest.NoSecretIn(out, adoptOpenAISecret, adoptAzureSecret); err != nil {
		t.Error(err)
	}
	cli.Write("generated.tf", generated)
	cli.Run("destroy", "-auto-approve")
	for _, k := range []*bifrost.Key{openai, azure} {
		provider := map[*bifrost.Key]string{openai: "openai", azure: "azure"}[k]
		if _, err := tg.Client.GetKey(acctest.Ctx(t), provider, k.ID); !bifrost.IsNotFound(err) {
			t.Errorf("key %s/%s after destroy: %v, want not found", provider, k.ID, err)
		}
	}
}

// TestAccProviderKey_adoptPlanGenerateConfig adopts keys made outside
// Terraform with import blocks and `terraform plan -generate-config-out`
// (Terraform ≥ 1.5).
func TestAccProviderKey_adoptPlanGenerateConfig(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	cli := acctest.NewCLI(t)
	prefix := acctest.Name("adopt")
	openai, azure := adoptKeys(t, tg, prefix)
	cli.Write("main.tf", tg.ProviderConfig()+fmt.Sprintf(`
import {
  to = bifrost_provider_key.openai
  id = "openai/%s"
}

import {
  to = bifrost_provider_key.azure
  id = "azure/%s"
}
`, openai.ID, azure.ID))
	cli.Run("init")
	cli.Run("plan", "-generate-config-out=generated.tf")
	checkAdopted(t, tg, cli, openai, azure)
}

// TestAccProviderKey_adoptQueryGenerateConfig adopts keys made outside
// Terraform with `terraform query -generate-config-out`, which needs
// Terraform ≥ 1.14 (skipped below).
func TestAccProviderKey_adoptQueryGenerateConfig(t *testing.T) {
	tg := acctest.New(t, emulator.Options{})
	cli := acctest.NewCLI(t)
	cli.SkipBelow("1.14.0", "terraform query")
	prefix := acctest.Name("adoptq")
	openai, azure := adoptKeys(t, tg, prefix)
	cli.Write("main.tf", tg.ProviderConfig())
	cli.Write("keys.tfquery.hcl", fmt.Sprintf(`
list "bifrost_provider_key" "openai" {
  provider         = bifrost
  include_resource = true
  config {
    provider_name = "openai"
    name_regex    = %[1]q
  }
}

list "bifrost_provider_key" "azure" {
  provider         = bifrost
  include_resource = true
  config {
    provider_name = "azure"
    name_regex    = %[1]q
  }
}
`, "^"+regexp.QuoteMeta(prefix)+"-"))
	cli.Run("init")
	cli.Run("query", "-generate-config-out=generated.tf")
	// The query file would list the keys again at every plan: adoption is done.
	cli.Write("keys.tfquery.hcl", "")
	checkAdopted(t, tg, cli, openai, azure)
}
