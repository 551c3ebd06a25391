# By client_id:
terraform import bifrost_mcp_client.search 3f0a6c1e-8b2d-4e5f-9a7c-1d2e3f4a5b6c

# By name (MCP client names are unique). Bifrost shows connection_string and
# header values redacted: set them in the configuration after the import.
terraform import bifrost_mcp_client.search name=search
