package bifrostprovider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccProvider_noSecretInLogs runs create, update (the proxy password
// changed), import and destroy of a provider with a proxy password, with
// TF_LOG=trace, and searches Terraform's and the provider's logs for it. (A
// CA certificate is public: not a secret, though Bifrost masks it.)
func TestAccProvider_noSecretInLogs(t *testing.T) {
	traceLog := acctest.TraceLog(t)
	tg := acctest.New(t, emulator.Options{})
	name := acctest.Name("log-provider")
	password := func(round string) string { return "log-proxy-password-0123456789abcdef-" + round }
	const caCert = "-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----"
	cfg := func(round string) string {
		return providerConfig(tg, name, customBody+fmt.Sprintf(`
  network_config = {
    ca_cert_pem = %q
  }
  proxy_config = {
    type     = "http"
    url      = "http://proxy.internal:3128"
    username = "bifrost"
    password = %q
  }`, caCert, password(round)))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(tg),
		Steps: []resource.TestStep{
			{Config: cfg("a")},
			{Config: cfg("b")},
			{Config: cfg("b"), ResourceName: addr, ImportState: true, ImportStateId: name,
				ImportStateVerify: true, ImportStateVerifyIdentifierAttribute: "name",
				// Bifrost shows the secrets redacted or masked: an import
				// cannot read them.
				ImportStateVerifyIgnore: []string{"status", "description", "proxy_config", "network_config.ca_cert_pem"}},
		},
	})
	acctest.ExpectNoSecretInTraceLog(t, traceLog(), "/api/providers", password("a"), password("b"))
}
