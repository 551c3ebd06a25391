package plugin_test

import (
	"fmt"
	"testing"

	tfconfig "github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccPlugin_noSecretInLogs runs create, update (every secret changed),
// import and destroy of plugins holding each kind of plugin secret (a
// custom config, config_wo, maxim_config.api_key, otel_config.headers and
// headers_wo) with TF_LOG=trace, and searches Terraform's and the
// provider's logs for every secret.
func TestAccPlugin_noSecretInLogs(t *testing.T) {
	traceLog := acctest.TraceLog(t)
	tg := acctest.New(t, emulator.Options{})
	custom, written := acctest.Name("log-custom"), acctest.Name("log-wo")
	for _, name := range []string{custom, written, "maxim", "otel"} {
		t.Cleanup(func() { _ = tg.Client.DeletePlugin(acctest.Ctx(t), name) })
	}
	secrets := func(round string) []string {
		var out []string
		for _, kind := range []string{"custom", "wo", "maxim", "otel"} {
			out = append(out, fmt.Sprintf("log-%s-secret-0123456789abcdef-%s", kind, round))
		}
		return out
	}
	// Round a writes the otel headers in the clear, round b write-only.
	otel := map[string]string{
		"a": `headers = { Authorization = var.otel_secret }`,
		"b": `
    headers_wo         = { Authorization = var.otel_secret }
    headers_wo_version = 1`,
	}
	cfg := func(round string, version int) string {
		s := secrets(round)
		return secretVariable + tg.ProviderConfig() + fmt.Sprintf(`
variable "otel_secret" {
  type      = string
  sensitive = true
  ephemeral = %[6]t
}

resource "bifrost_plugin" "custom" {
  name    = %[1]q
  enabled = false
  path    = "/opt/bifrost/plugins/custom.so"
  config  = jsonencode({ endpoint = "http://127.0.0.1:9", token = %[3]q })
}

resource "bifrost_plugin" "written" {
  name              = %[2]q
  enabled           = false
  path              = "/opt/bifrost/plugins/written.so"
  config_wo         = jsonencode({ token = var.secret })
  config_wo_version = %[5]d
}

resource "bifrost_plugin" "maxim" {
  name         = "maxim"
  enabled      = false
  maxim_config = { api_key = %[4]q }
}

resource "bifrost_plugin" "otel" {
  name    = "otel"
  enabled = false
  otel_config = {
    collector_url = "http://127.0.0.1:4318/v1/traces"
    trace_type    = "genai_extension"
    protocol      = "http"
    %[7]s
  }
}
`, custom, written, s[0], s[2], version, round == "b", otel[round])
	}
	vars := func(round string) tfconfig.Variables {
		s := secrets(round)
		return tfconfig.Variables{"secret": tfconfig.StringVariable(s[1]), "otel_secret": tfconfig.StringVariable(s[3])}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{Config: cfg("a", 1), ConfigVariables: vars("a")},
			{Config: cfg("b", 2), ConfigVariables: vars("b")},
			{
				Config: cfg("b", 2), ConfigVariables: vars("b"),
				ResourceName: "bifrost_plugin.maxim", ImportState: true, ImportStateId: "maxim", ImportStateVerify: true,
			},
		},
	})
	acctest.ExpectNoSecretInTraceLog(t, traceLog(), "/api/plugins/otel", append(secrets("a"), secrets("b")...)...)
}
