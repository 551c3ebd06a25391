package mcpclient_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/emulator"
)

func emulatorOptions() emulator.Options { return emulator.Options{} }

// TestAccMCPClient_virtualKeyTools grants a virtual key two tools of an MCP
// client served by the test MCP server, then removes the client's grant
// with the client.
func TestAccMCPClient_virtualKeyTools(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		srv := mcpServer(t)
		name, vkName := clientName("mcpvk"), acctest.Name("vk-mcp")
		cfg := config(tg, clientConfig(name, srv.URL, `  tools_to_execute = ["*"]`)+fmt.Sprintf(`
resource "bifrost_virtual_key" "test" {
  name = %q
  mcp_configs = {
    (bifrost_mcp_client.test.name) = { tools_to_execute = ["echo", "add"] }
  }
}

data "bifrost_mcp_clients" "all" {
  name_regex = "^%s$"
  depends_on = [bifrost_virtual_key.test]
}
`, vkName, name))
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(t, tg),
			Steps: []resource.TestStep{
				{
					Config: cfg,
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr("bifrost_virtual_key.test", "mcp_configs."+name+".tools_to_execute.#", "2"),
						resource.TestCheckResourceAttr("data.bifrost_mcp_clients.all", "clients.0.vk_configs.#", "1"),
						resource.TestCheckResourceAttrPair("data.bifrost_mcp_clients.all", "clients.0.vk_configs.0.virtual_key_id", "bifrost_virtual_key.test", "id"),
						func(s *terraform.State) error {
							c := stored(t, tg, s)
							if len(c.VKConfigs) != 1 {
								return fmt.Errorf("vk_configs %+v", c.VKConfigs)
							}
							got := slices.Sorted(slices.Values(c.VKConfigs[0].ToolsToExecute))
							if !slices.Equal(got, []string{"add", "echo"}) {
								return fmt.Errorf("the key is granted %v", got)
							}
							return nil
						},
					),
				},
				{Config: cfg, PlanOnly: true},
			},
		})
	})
}
