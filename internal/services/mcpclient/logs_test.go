package mcpclient_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

// TestAccMCPClient_noSecretInLogs runs create, update (the headers
// changed), import and destroy of an MCP client whose connection string and
// headers hold secrets, with TF_LOG=trace, and searches Terraform's and the
// provider's logs for them.
func TestAccMCPClient_noSecretInLogs(t *testing.T) {
	traceLog := acctest.TraceLog(t)
	tg := acctest.New(t, emulator.Options{})
	srv := mcpServer(t)
	name := clientName("mcplog")
	const connSecret = "log-conn-secret-0123456789abcdef"
	token := func(round string) string { return "Bearer log-header-secret-0123456789abcdef-" + round }
	cfg := func(round string) string {
		return config(tg, fmt.Sprintf(`
resource "bifrost_mcp_client" "test" {
  name              = %q
  connection_string = "%s?token=%s"
  auth_type         = "headers"
  headers           = { Authorization = %q }
  tools_to_execute  = ["echo"]
}
`, name, srv.URL, connSecret, token(round)))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProviderFactories,
		CheckDestroy:             checkDestroyed(t, tg),
		Steps: []resource.TestStep{
			{Config: cfg("a")},
			{Config: cfg("b")},
			{Config: cfg("b"), ResourceName: addr, ImportState: true, ImportStateVerify: true,
				// Bifrost shows them masked: imported as masks.
				ImportStateVerifyIgnore: []string{"connection_string", "headers"}},
		},
	})
	if !srv.SawHeader("Authorization", token("a")) {
		t.Fatal("the MCP server never saw the header: the secrets did not travel")
	}
	acctest.ExpectNoSecretInTraceLog(t, traceLog(), "/api/mcp/client", connSecret, token("a"), token("b"))
}
