variable "search_mcp_token" {
  type      = string
  sensitive = true
}

# An MCP server Bifrost reaches over Streamable HTTP, authenticated with a
# header. Bifrost connects to it when the client is created: the URL must be
# reachable from the Bifrost host.
resource "bifrost_mcp_client" "search" {
  name              = "search" # letters, digits, underscores: no hyphens or spaces
  connection_string = "https://mcp.example.com/mcp"
  auth_type         = "headers"
  headers = {
    Authorization = "Bearer ${var.search_mcp_token}"
  }
  tools_to_execute   = ["*"] # every tool; [] (the default) allows none
  tool_sync_interval = 30    # minutes
}

# The URL and the token read from Bifrost's environment, never in Terraform.
resource "bifrost_mcp_client" "internal_docs" {
  name              = "internal_docs"
  connection_string = "env.DOCS_MCP_URL"
  auth_type         = "headers"
  headers = {
    "X-Api-Key" = "env.DOCS_MCP_KEY"
  }
  tools_to_execute      = ["search_docs", "get_page"]
  tools_to_auto_execute = ["search_docs"] # run without asking; must be among tools_to_execute
  tool_pricing = {                        # price per call, by tool name
    search_docs = 0.001
    get_page    = 0.0005
  }
}

# A client every virtual key may use without a grant, in code mode.
resource "bifrost_mcp_client" "calculator" {
  name                      = "calculator"
  connection_string         = "https://calc.example.com/mcp"
  tools_to_execute          = ["*"]
  is_code_mode_client       = true
  allow_on_all_virtual_keys = true
}

# A stdio MCP server: Bifrost runs the command on its own host (it must be
# installed there) and speaks MCP over its stdin/stdout. Any change of
# stdio_config replaces the client.
resource "bifrost_mcp_client" "github" {
  name            = "github"
  connection_type = "stdio"
  stdio_config = {
    command = "npx"
    args    = ["-y", "@modelcontextprotocol/server-github"]
    envs    = ["GITHUB_PERSONAL_ACCESS_TOKEN"] # needed by the command, from Bifrost's environment
  }
  tools_to_execute = ["search_repositories", "get_file_contents"]
}

# Virtual keys are granted tools of a client by its name.
resource "bifrost_virtual_key" "support_bot" {
  name = "support-bot"
  mcp_configs = {
    (bifrost_mcp_client.internal_docs.name) = { tools_to_execute = ["search_docs"] }
  }
}
