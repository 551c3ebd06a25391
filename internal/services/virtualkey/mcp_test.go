package virtualkey_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/maximhq/terraform-provider-bifrost/internal/acctest"
	"github.com/maximhq/terraform-provider-bifrost/internal/bifrost"
)

// mcpClients puts MCP clients named names in the emulator directly, without
// MCP servers behind them (Bifrost creates one only when it can connect to
// its MCP server: the end-to-end path, with a test MCP server, is
// internal/services/mcpclient's TestAccMCPClient_virtualKeyTools). Against a
// real server the test is skipped.
func mcpClients(t *testing.T, tg *acctest.Target, names ...string) {
	t.Helper()
	if tg.Emulator == nil {
		t.Skip("needs MCP clients in Bifrost: the emulator's AddMCPClient hook (a real server would need reachable MCP servers)")
	}
	for _, n := range names {
		tg.Emulator.AddMCPClient(n)
	}
}

// saveAttr stores the state's value of addr's attribute into *dst.
func saveAttr(name string, dst *string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(addr, name, func(v string) error { *dst = v; return nil })
}

// TestAccVirtualKey_mcpConfigs creates a key with an MCP config, changes its
// tools (the config keeps its id), adds one, reads them with the data
// source, changes only the description (ids kept), imports the key, and
// removes them all.
func TestAccVirtualKey_mcpConfigs(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		mcpClients(t, tg, "tools", "search")
		keyName, name := acctest.Name("vk-k"), acctest.Name("vk-mcp")
		var toolsID string
		sameID := resource.TestCheckResourceAttrWith(addr, "mcp_configs.tools.config_id", func(v string) error {
			if v != toolsID {
				return fmt.Errorf("mcp_configs.tools.config_id %s, was %s: the config was recreated", v, toolsID)
			}
			return nil
		})
		ds := `
data "bifrost_virtual_key" "by_id" {
  id = bifrost_virtual_key.test.id
}
`
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config: vkConfig(tg, keyName, name, `
  mcp_configs = {
    tools = { tools_to_execute = ["read", "write"] }
  }
`),
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr(addr, "mcp_configs.%", "1"),
						resource.TestCheckResourceAttrSet(addr, "mcp_configs.tools.config_id"),
						resource.TestCheckResourceAttr(addr, "mcp_configs.tools.tools_to_execute.#", "2"),
						resource.TestCheckTypeSetElemAttr(addr, "mcp_configs.tools.tools_to_execute.*", "write"),
						saveAttr("mcp_configs.tools.config_id", &toolsID),
						func(s *terraform.State) error {
							vk, err := vkOf(tg, s)
							if err != nil {
								return err
							}
							if len(vk.MCPConfigs) != 1 || vk.MCPConfigs[0].MCPClientName != "tools" || strconv.Itoa(int(vk.MCPConfigs[0].ID)) != toolsID {
								return fmt.Errorf("Bifrost holds mcp_configs %+v", vk.MCPConfigs)
							}
							return nil
						},
					),
				},
				{
					// tools_to_execute defaults to all; a second client.
					Config: vkConfig(tg, keyName, name, `
  mcp_configs = {
    tools  = {}
    search = { tools_to_execute = [] }
  }
`) + ds,
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					}},
					Check: resource.ComposeAggregateTestCheckFunc(
						sameID,
						resource.TestCheckResourceAttr(addr, "mcp_configs.tools.tools_to_execute.#", "1"),
						resource.TestCheckTypeSetElemAttr(addr, "mcp_configs.tools.tools_to_execute.*", "*"),
						resource.TestCheckResourceAttr(addr, "mcp_configs.search.tools_to_execute.#", "0"),
						resource.TestCheckResourceAttrSet(addr, "mcp_configs.search.config_id"),
						resource.TestCheckResourceAttr("data.bifrost_virtual_key.by_id", "mcp_configs.#", "2"),
						resource.TestCheckTypeSetElemNestedAttrs("data.bifrost_virtual_key.by_id", "mcp_configs.*",
							map[string]string{"mcp_client_name": "search", "tools_to_execute.#": "0"}),
						resource.TestCheckTypeSetElemNestedAttrs("data.bifrost_virtual_key.by_id", "mcp_configs.*",
							map[string]string{"mcp_client_name": "tools", "tools_to_execute.#": "1"}),
					),
				},
				{
					// A change elsewhere keeps the configs (sent with their ids).
					Config: vkConfig(tg, keyName, name, `
  description = "changed"
  mcp_configs = {
    tools  = {}
    search = { tools_to_execute = [] }
  }
`),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						acctest.ExpectChangedLeaves(addr, nil, "description"),
					}},
					Check: sameID,
				},
				{ResourceName: addr, ImportState: true, ImportStateVerify: true},
				{
					// Omitted: the key has none (as provider_configs).
					Config: vkConfig(tg, keyName, name, ""),
					Check: resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckNoResourceAttr(addr, "mcp_configs.%"),
						func(s *terraform.State) error {
							vk, err := vkOf(tg, s)
							if err != nil {
								return err
							}
							if len(vk.MCPConfigs) != 0 {
								return fmt.Errorf("Bifrost still holds mcp_configs %+v", vk.MCPConfigs)
							}
							return nil
						},
					),
				},
				{Config: vkConfig(tg, keyName, name, ""), PlanOnly: true},
			},
		})
	})
}

// TestAccVirtualKey_mcpDrift changes the key's MCP configs out of band: the
// next plan shows the change, and the apply puts the configuration back.
func TestAccVirtualKey_mcpDrift(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		mcpClients(t, tg, "tools", "search")
		keyName, name := acctest.Name("vk-k"), acctest.Name("vk-mcpd")
		cfg := vkConfig(tg, keyName, name, `
  mcp_configs = {
    tools = { tools_to_execute = ["read"] }
  }
`)
		var id string
		onMCP := func(f func(cur *bifrost.VirtualKey) []bifrost.MCPConfigRequest) func(u *bifrost.VirtualKeyUpdate, cur *bifrost.VirtualKey) {
			return func(u *bifrost.VirtualKeyUpdate, cur *bifrost.VirtualKey) {
				list := f(cur)
				u.MCPConfigs = &list
			}
		}
		kept := func(cur *bifrost.VirtualKey) []bifrost.MCPConfigRequest {
			out := []bifrost.MCPConfigRequest{}
			for _, m := range cur.MCPConfigs {
				out = append(out, m.AsUpdate())
			}
			return out
		}
		drifts := []func(u *bifrost.VirtualKeyUpdate, cur *bifrost.VirtualKey){
			onMCP(func(cur *bifrost.VirtualKey) []bifrost.MCPConfigRequest {
				l := kept(cur)
				l[0].ToolsToExecute = []string{"*"}
				return l
			}),
			onMCP(func(cur *bifrost.VirtualKey) []bifrost.MCPConfigRequest {
				return append(kept(cur), bifrost.MCPConfigRequest{MCPClientName: "search", ToolsToExecute: []string{"*"}})
			}),
			onMCP(func(*bifrost.VirtualKey) []bifrost.MCPConfigRequest { return []bifrost.MCPConfigRequest{} }),
		}
		steps := []resource.TestStep{{Config: cfg, Check: captureID(&id)}}
		for _, d := range drifts {
			steps = append(steps, resource.TestStep{
				PreConfig: changeVK(t, tg, &id, d),
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectDrift{},
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(addr, "mcp_configs.%", "1"),
					resource.TestCheckResourceAttr(addr, "mcp_configs.tools.tools_to_execute.#", "1"),
					resource.TestCheckTypeSetElemAttr(addr, "mcp_configs.tools.tools_to_execute.*", "read"),
				),
			})
		}
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps:                    steps,
		})
	})
}

// TestAccVirtualKey_mcpBadInput: a name no MCP client can have is refused at
// plan time; a name Bifrost has no client of at apply, with Bifrost's message
// on the entry (runs against a real server too).
func TestAccVirtualKey_mcpBadInput(t *testing.T) {
	acctest.ForEachVersion(t, func(t *testing.T, tg *acctest.Target) {
		ensureProviders(t, tg)
		keyName, name := acctest.Name("vk-k"), acctest.Name("vk-mcpbad")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: acctest.ProviderFactories,
			CheckDestroy:             checkDestroyed(tg),
			Steps: []resource.TestStep{
				{
					Config:      vkConfig(tg, keyName, name, `  mcp_configs = { "my-tools" = {} }`),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`Invalid MCP client name(.|\n)*"my-tools" is not a valid MCP client name`),
				},
				{
					Config:      vkConfig(tg, keyName, name, `  mcp_configs = { tools = { tools_to_execute = ["*", "read"] } }`),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`Wildcard mixed with names`),
				},
				{
					Config:      vkConfig(tg, keyName, name, `  mcp_configs = { nosuchclient = {} }`),
					ExpectError: regexp.MustCompile(`(?s)Unknown MCP client.*an MCP client named "nosuchclient".*failed to get MCP client: not found`),
				},
			},
		})
	})
}
