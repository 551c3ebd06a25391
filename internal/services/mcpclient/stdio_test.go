package mcpclient_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/mcptest"
	"github.com/maximhq/terraform-provider-bifrost/internal/provider"
)

func stdioConfig(name, command, pidFile string) string {
	return fmt.Sprintf(`
resource "bifrost_mcp_client" "test" {
  name             = %q
  connection_type  = "stdio"
  tools_to_execute = ["*"]
  stdio_config = {
    command = %q
    args    = ["-pidfile", %q]
    envs    = ["MCP_MODE=test"]
  }
}
`, name, command, pidFile)
}

// processEnded checks that the stdio server whose pid is in pidFile ended.
func processEnded(pidFile string) error {
	pid := mcptest.PIDFromFile(pidFile)
	if pid == 0 {
		return fmt.Errorf("no pid in %s", pidFile)
	}
	if mcptest.Running(pid) {
		return fmt.Errorf("the stdio MCP server (pid %d) is still running", pid)
	}
	return nil
}

// TestAccMCPClient_stdio creates a stdio client running the test MCP
// server's stdio build, whose tools are discovered and one granted to a
// virtual key; a change of its args replaces it (the old process ends);
// destroying it ends the process.
func TestAccMCPClient_stdio(t *testing.T) {
	if ep := os.Getenv(provider.EnvEndpoint); ep != "" {
		t.Skipf("a stdio MCP client's command runs on Bifrost's host: the test MCP server built here does not exist on the Bifrost at %s", ep)
	}
	bin := mcptest.BuildStdio(t)
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		dir := t.TempDir()
		pid1, pid2 := filepath.Join(dir, "pid1"), filepath.Join(dir, "pid2")
		name, vkName := clientName("mcpstdio"), acctest.Name("vk-stdio")
		const ds = "data.bifrost_mcp_clients.all"
		withVK := stdioConfig(name, bin, pid1) + fmt.Sprintf(`
resource "bifrost_virtual_key" "test" {
  name = %q
  mcp_configs = {
    (bifrost_mcp_client.test.name) = { tools_to_execute = ["echo"] }
  }
}

data "bifrost_mcp_clients" "all" {
  name_regex = "^%s$"
  depends_on = [bifrost_mcp_client.test]
}
`, vkName, name)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy: func(s *terraform.State) error {
				if err := checkDestroyed(t, tg)(s); err != nil {
					return err
				}
				return processEnded(pid2)
			},
			Steps: []resource.TestStep{
				{
					Config: config(tg, withVK),
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr(addr, "connection_type", "stdio"),
						resource.TestCheckNoResourceAttr(addr, "connection_string"),
						resource.TestCheckResourceAttr(addr, "stdio_config.command", bin),
						resource.TestCheckResourceAttr(addr, "stdio_config.args.#", "2"),
						resource.TestCheckResourceAttr(addr, "stdio_config.envs.0", "MCP_MODE=test"),
						resource.TestCheckResourceAttr(addr, "state", "connected"),
						resource.TestCheckResourceAttr(addr, "tools.#", "3"),
						resource.TestCheckTypeSetElemAttr(addr, "tools.*", "echo"),
						resource.TestCheckResourceAttr("bifrost_virtual_key.test", "mcp_configs."+name+".tools_to_execute.#", "1"),
						resource.TestCheckResourceAttr(ds, "clients.#", "1"),
						resource.TestCheckResourceAttr(ds, "clients.0.connection_type", "stdio"),
						resource.TestCheckResourceAttr(ds, "clients.0.stdio_config.command", bin),
						resource.TestCheckResourceAttr(ds, "clients.0.stdio_config.args.#", "2"),
						resource.TestCheckResourceAttr(ds, "clients.0.stdio_config.args.0", "-pidfile"),
						resource.TestCheckResourceAttr(ds, "clients.0.stdio_config.args.1", pid1),
						resource.TestCheckResourceAttr(ds, "clients.0.stdio_config.envs.#", "1"),
						resource.TestCheckResourceAttr(ds, "clients.0.stdio_config.envs.0", "MCP_MODE=test"),
						func(s *terraform.State) error {
							c := stored(t, tg, s)
							if c.Config.StdioConfig == nil || c.Config.StdioConfig.Command != bin || len(c.VKConfigs) != 1 ||
								len(c.VKConfigs[0].ToolsToExecute) != 1 || c.VKConfigs[0].ToolsToExecute[0] != "echo" {
								return fmt.Errorf("stored client differs: %+v", c)
							}
							if pid := mcptest.PIDFromFile(pid1); !mcptest.Running(pid) {
								return fmt.Errorf("the stdio MCP server (pid %d) is not running", pid)
							}
							return nil
						},
					),
				},
				{Config: config(tg, withVK), PlanOnly: true},
				// A change of stdio_config replaces the client: the old process ends.
				{
					Config: config(tg, stdioConfig(name, bin, pid2)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)},
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr(addr, "stdio_config.args.1", pid2),
						func(*terraform.State) error {
							if err := processEnded(pid1); err != nil {
								return err
							}
							if pid := mcptest.PIDFromFile(pid2); !mcptest.Running(pid) {
								return fmt.Errorf("the new stdio MCP server (pid %d) is not running", pid)
							}
							return nil
						},
					),
				},
			},
		})
	})
}
