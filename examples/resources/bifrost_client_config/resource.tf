# The server's client settings: only the attributes set here are managed.
# The others show the server's values in the state and are left as they are.
resource "bifrost_client_config" "this" {
  # Required on first use: a fresh Bifrost reports 0, which it refuses to store.
  log_retention_days = 30

  drop_excess_requests = false
  enable_logging       = true
  logging_headers      = ["x-team"]
  mcp_agent_depth      = 5

  # Nested settings: only the members set here are managed.
  compat = {
    should_drop_params = true
  }

  header_filter_config = {
    denylist = ["x-internal-*"]
  }

  # Changing these needs a Bifrost restart (a warning says so after apply).
  initial_pool_size        = 5000
  max_request_body_size_mb = 100
}
