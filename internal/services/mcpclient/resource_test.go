package mcpclient_test

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
	"github.com/maximhq/terraform-provider-bifrost/internal/mcptest"
	"github.com/maximhq/terraform-provider-bifrost/internal/provider"
)

const addr = "bifrost_mcp_client.test"

// mcpServer starts the test MCP server, which Bifrost must reach: against a
// real Bifrost that is not on this host (BIFROST_ENDPOINT not loopback) the
// test is skipped.
func mcpServer(t *testing.T) *mcptest.Server {
	t.Helper()
	if ep := os.Getenv(provider.EnvEndpoint); ep != "" {
		u, err := url.Parse(ep)
		host := ""
		if err == nil {
			host = u.Hostname()
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			t.Skipf("the test MCP server listens on loopback, which the Bifrost at %s (not on this host) cannot reach", ep)
		}
	}
	return mcptest.Start(t)
}

// clientName is a name unique to the run, valid for Bifrost (no hyphens).
func clientName(prefix string) string {
	return strings.ReplaceAll(acctest.Name(prefix), "-", "_")
}

func config(tg *acctest.Target, body string) string {
	return tg.ProviderConfig() + body
}

func clientConfig(name, url, extra string) string {
	return fmt.Sprintf(`
resource "bifrost_mcp_client" "test" {
  name              = %q
  connection_string = %q
%s
}
`, name, url, extra)
}

// stored reads the client of addr out of band.
func stored(t *testing.T, tg *acctest.Target, s *terraform.State) *bifrost.MCPClient {
	return acctest.Stored(t, tg, s, addr, "MCP client", (*bifrost.Client).GetMCPClient)
}

func checkDestroyed(t *testing.T, tg *acctest.Target) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "bifrost_mcp_client" {
				continue
			}
			if _, err := tg.Client.GetMCPClient(acctest.Ctx(t), rs.Primary.ID); !bifrost.IsNotFound(err) {
				return fmt.Errorf("MCP client %s still exists (%v)", rs.Primary.ID, err)
			}
		}
		return nil
	}
}

// TestAccMCPClient_lifecycle creates a client of the test MCP server (with
// headers, tools to auto-execute, tool prices, code mode, all virtual keys,
// disabled: applied by a follow-up update), updates it in place, shows
// out-of-band drift (of the tool lists, prices, code mode, all virtual keys
// and interval), recreates it after an out-of-band delete,
// imports it by client_id and by name, reads the data source, and destroys it.
func TestAccMCPClient_lifecycle(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		srv := mcpServer(t)
		name := clientName("mcp")
		v1 := clientConfig(name, srv.URL, `
  auth_type        = "headers"
  headers          = { "X-Api-Key" = "mcp-secret-0123456789abcdef" }
  tools_to_execute = ["echo", "add"]
  disabled         = true

  tools_to_auto_execute     = ["echo"]
  tool_pricing              = { echo = 0.001, add = 0.25 }
  is_code_mode_client       = true
  allow_on_all_virtual_keys = true
`)
		v2 := clientConfig(name, srv.URL, `
  auth_type          = "headers"
  headers            = { "X-Api-Key" = "mcp-secret-0123456789abcdef" }
  tools_to_execute   = ["*"]
  tool_sync_interval = 5

  tools_to_auto_execute     = ["add"]
  tool_pricing              = { echo = 0.5 }
  allow_on_all_virtual_keys = true
`)
		ds := `
data "bifrost_mcp_clients" "all" {
  name_regex = "^` + name + `$"
  depends_on = [bifrost_mcp_client.test]
}
`
		var clientID string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(t, tg),
			Steps: []resource.TestStep{
				{
					Config: config(tg, v1),
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttrSet(addr, "client_id"),
						resource.TestCheckResourceAttrPair(addr, "id", addr, "client_id"),
						resource.TestCheckResourceAttr(addr, "connection_type", "http"),
						resource.TestCheckResourceAttr(addr, "tool_sync_interval", "10"),
						resource.TestCheckResourceAttr(addr, "tools.#", "3"),
						resource.TestCheckTypeSetElemAttr(addr, "tools.*", "now"),
						resource.TestCheckResourceAttr(addr, "disabled", "true"),
						resource.TestCheckResourceAttr(addr, "tools_to_auto_execute.#", "1"),
						resource.TestCheckTypeSetElemAttr(addr, "tools_to_auto_execute.*", "echo"),
						resource.TestCheckResourceAttr(addr, "tool_pricing.%", "2"),
						resource.TestCheckResourceAttr(addr, "tool_pricing.echo", "0.001"),
						resource.TestCheckResourceAttr(addr, "tool_pricing.add", "0.25"),
						resource.TestCheckResourceAttr(addr, "is_code_mode_client", "true"),
						resource.TestCheckResourceAttr(addr, "allow_on_all_virtual_keys", "true"),
						func(s *terraform.State) error {
							c := stored(t, tg, s)
							clientID = c.Config.ClientID
							tools := slices.Sorted(slices.Values(c.Config.ToolsToExecute))
							if !c.Config.Disabled || strings.Join(tools, ",") != "add,echo" || c.Config.AuthType != "headers" {
								return fmt.Errorf("stored client differs: %+v", c.Config)
							}
							if strings.Join(c.Config.ToolsToAutoExecute, ",") != "echo" || len(c.Config.ToolPricing) != 2 ||
								c.Config.ToolPricing["echo"] != 0.001 || c.Config.ToolPricing["add"] != 0.25 ||
								!c.Config.IsCodeModeClient || !c.Config.AllowOnAllVirtualKeys {
								return fmt.Errorf("stored client differs: %+v", c.Config)
							}
							if !srv.SawHeader("X-Api-Key", "mcp-secret-0123456789abcdef") {
								return fmt.Errorf("the MCP server did not get the header")
							}
							return nil
						},
					),
				},
				{
					Config: config(tg, v2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, []string{"state", "tools"}, "tools_to_execute",
							"tool_sync_interval", "disabled", "tools_to_auto_execute", "tool_pricing.echo", "tool_pricing.add", "is_code_mode_client")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: func(s *terraform.State) error {
						c := stored(t, tg, s)
						if c.Config.ClientID != clientID || c.Config.Disabled || c.Config.ToolSyncInterval != 5*time.Minute ||
							strings.Join(c.Config.ToolsToExecute, ",") != "*" || strings.Join(c.Config.ToolsToAutoExecute, ",") != "add" ||
							len(c.Config.ToolPricing) != 1 || c.Config.ToolPricing["echo"] != 0.5 || c.Config.IsCodeModeClient ||
							!c.Config.AllowOnAllVirtualKeys {
							return fmt.Errorf("update not applied: %+v", c.Config)
						}
						return nil
					},
				},
				// Drift: tools, auto-execute, prices, code mode, all virtual
				// keys (cleared: an update replaces it) and interval changed
				// out of band.
				{
					PreConfig: func() {
						in := bifrost.MCPClientRequest{Name: name, ToolsToExecute: []string{"now"}, ToolSyncInterval: 7,
							ToolsToAutoExecute: []string{"now"}, ToolPricing: map[string]float64{"now": 2}, IsCodeModeClient: true}
						if err := tg.Client.UpdateMCPClient(acctest.Ctx(t), clientID, in); err != nil {
							t.Fatal(err)
						}
					},
					Config: config(tg, v2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{acctest.ExpectChangedLeaves(addr, []string{"state", "tools"}, "tools_to_execute", "tool_sync_interval",
							"tools_to_auto_execute", "tool_pricing.echo", "tool_pricing.now", "is_code_mode_client", "allow_on_all_virtual_keys")},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				// Deleted out of band: created again.
				{
					PreConfig: func() {
						if err := tg.Client.DeleteMCPClient(acctest.Ctx(t), clientID); err != nil {
							t.Fatal(err)
						}
					},
					Config: config(tg, v2),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate)},
					},
				},
				{
					Config: config(tg, v2+ds),
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.#", "1"),
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.0.state", "connected"),
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.0.tools.#", "3"),
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.0.tool_sync_interval", "5"),
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.0.tools_to_auto_execute.0", "add"),
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.0.tool_pricing.echo", "0.5"),
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.0.is_code_mode_client", "false"),
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.0.allow_on_all_virtual_keys", "true"),
						resource.TestCheckResourceAttrPair("data.bifrost_mcp_clients.all", "clients.0.client_id", addr, "client_id"),
						resource.TestCheckNoResourceAttr("data.bifrost_mcp_clients.all", "clients.0.stdio_config.command"),
					),
				},
				// Import: Bifrost shows the secrets redacted, so they are not compared.
				{ResourceName: addr, ImportState: true, ImportStateVerify: true,
					ImportStateVerifyIgnore: []string{"connection_string", "headers", "timeouts"}},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "name=" + name,
					ImportStateVerifyIgnore: []string{"connection_string", "headers", "timeouts"}},
			},
		})
	})
}

// TestAccMCPClient_writeOnly creates a client whose connection string and
// headers are write-only: nothing of them is in the state.
func TestAccMCPClient_writeOnly(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		srv := mcpServer(t)
		name := clientName("mcpwo")
		cfg := fmt.Sprintf(`
resource "bifrost_mcp_client" "test" {
  name                         = %q
  connection_string_wo         = %q
  connection_string_wo_version = 1
  auth_type                    = "headers"
  headers_wo                   = { "Authorization" = "Bearer wo-token-0123456789" }
  headers_wo_version           = 1
  tools_to_execute             = ["echo"]
}
`, name, srv.URL)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(t, tg),
			Steps: []resource.TestStep{
				{
					Config: config(tg, cfg),
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckNoResourceAttr(addr, "connection_string"),
						resource.TestCheckNoResourceAttr(addr, "headers.%"),
						func(s *terraform.State) error {
							if !srv.SawHeader("Authorization", "Bearer wo-token-0123456789") {
								return fmt.Errorf("the write-only header was not sent to the MCP server")
							}
							return acctest.NoSecretIn(fmt.Sprint(s.RootModule().Resources[addr].Primary.Attributes), srv.URL, "wo-token-0123456789")
						},
					),
				},
				{Config: config(tg, cfg), PlanOnly: true},
			},
		})
	})
}

// TestAccMCPClient_unreachable: Bifrost cannot connect to the MCP server,
// the create fails with its error and nothing is left.
func TestAccMCPClient_unreachable(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		dead := "http://" + ln.Addr().String() + "/mcp"
		_ = ln.Close()
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(t, tg),
			Steps: []resource.TestStep{{
				Config:      config(tg, clientConfig(clientName("mcpdead"), dead, "")),
				ExpectError: regexp.MustCompile(`(?s)Bifrost cannot connect to the MCP server.*reachable\s+from\s+the\s+Bifrost\s+host.*Failed\s+to\s+connect\s+MCP\s+client`),
			}},
		})
	})
}

// TestAccMCPClient_badInputs: what Bifrost would refuse is refused at plan
// time, naming the attribute.
func TestAccMCPClient_badInputs(t *testing.T) {
	tg := acctest.New(t, emulatorOptions())
	for _, tc := range []struct{ body, want string }{
		{`name = "my-tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"", `(?s)Invalid MCP client name.*name = "my-tools".*cannot contain hyphens`},
		{`name = "my tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"", `(?s)Invalid MCP client name.*cannot contain spaces`},
		{`name = "1tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"", `(?s)Invalid MCP client name.*cannot start with a digit`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  auth_type = \"oauth\"", `(?s)OAuth MCP clients are not supported.*auth_type = "oauth".*browser`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  connection_type = \"stdio\"\n  stdio_config = { command = \"mcp\" }",
			`(?s)Connection string not allowed with stdio.*connection_string`},
		{`name = "tools"` + "\n  connection_type = \"stdio\"", `(?s)stdio_config required.*connection_type = "stdio" needs stdio_config`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  stdio_config = { command = \"mcp\" }",
			`(?s)stdio_config needs connection_type "stdio".*connection_type is "http"`},
		{`name = "tools"` + "\n  connection_type = \"stdio\"\n  stdio_config = { command = \"\" }", `(?s)Invalid Attribute Value Length.*stdio_config.command`},
		{`name = "tools"` + "\n  connection_type = \"websocket\"\n  connection_string = \"http://127.0.0.1:1/mcp\"", `(?s)Invalid connection type.*"websocket"`},
		{`name = "tools"` + "\n  connection_string = \"ftp://x\"", `(?s)Invalid MCP server URL.*connection_string`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  tools_to_execute = [\"*\", \"echo\"]", `(?s)Invalid tools_to_execute.*tools_to_execute = \[.*cannot be listed with tool names`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  tools_to_execute = [\"echo\"]\n  tools_to_auto_execute = [\"add\"]",
			`(?s)Invalid tools_to_auto_execute.*tools_to_auto_execute = \[.*"add" is not in tools_to_execute`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  tools_to_execute = [\"echo\"]\n  tools_to_auto_execute = [\"*\"]",
			`(?s)Invalid tools_to_auto_execute.*needs tools_to_execute = \["\*"\]`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  tools_to_auto_execute = [\"echo\"]",
			`(?s)Invalid tools_to_auto_execute.*"echo" is not in tools_to_execute`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  tools_to_execute = [\"echo\", \"Echo\"]",
			`(?s)Invalid tools_to_execute.*differ only in case`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  tool_pricing = { echo = -0.5 }",
			`(?s)Invalid Attribute Value.*tool_pricing.*at least 0`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  headers = { A = \"b\" }", `(?s)Headers need auth_type "headers".*headers`},
		{`name = "tools"` + "\n  connection_string = \"http://127.0.0.1:1/mcp\"\n  tool_sync_interval = -5", `(?s)Invalid Attribute Value.*tool_sync_interval`},
		{`name = "tools"`, `(?s)Invalid Attribute Combination.*connection_string`},
	} {
		t.Run(strings.Fields(tc.want[4:])[0]+"_"+strings.Fields(tc.want[4:])[1], func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: acctest.ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      config(tg, "resource \"bifrost_mcp_client\" \"bad\" {\n  "+tc.body+"\n}\n"),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(strings.ReplaceAll(tc.want, " ", `\s+`)),
				}},
			})
		})
	}
}
