data "bifrost_mcp_clients" "all" {}

# The tools each MCP server offers, and whether Bifrost is connected to it.
output "mcp_tools" {
  value = { for c in data.bifrost_mcp_clients.all.clients : c.name => {
    state = c.state
    tools = [for t in c.tools : t.name]
  } }
}
