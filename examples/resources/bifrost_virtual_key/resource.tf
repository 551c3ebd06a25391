resource "bifrost_provider_key" "openai_primary" {
  provider_name = "openai"
  name          = "openai-primary"
  value         = "env.OPENAI_API_KEY"
  models        = ["*"]
}

resource "bifrost_team" "search" {
  name = "search"
}

# A virtual key for the search team's application: OpenAI only, two models,
# one provider key, a monthly and a daily budget, a rate limit.
resource "bifrost_virtual_key" "search_app" {
  name        = "search-app"
  description = "Search service, production"
  team_id     = bifrost_team.search.id

  budgets = [
    { max_limit = 500, reset_duration = "1M" },
    { max_limit = 30, reset_duration = "1d" },
  ]
  rate_limit = {
    token_max_limit        = 5000000
    token_reset_duration   = "1d"
    request_max_limit      = 10000
    request_reset_duration = "1d"
  }

  provider_configs = {
    openai = {
      allowed_models = ["gpt-4o", "gpt-4o-mini"]
      key_ids        = [bifrost_provider_key.openai_primary.id]
      budgets        = [{ max_limit = 400, reset_duration = "1M" }]
    }
  }

  # MCP clients configured in Bifrost, by name, and the tools of each the
  # key may execute.
  mcp_configs = {
    github = { tools_to_execute = ["search_issues", "get_issue"] }
  }
}

# A key whose value never enters the state: read it with the ephemeral
# resource when it is needed (see the bifrost_virtual_key ephemeral resource).
resource "bifrost_virtual_key" "batch_jobs" {
  name        = "batch-jobs"
  store_value = false

  provider_configs = {
    openai = {} # all models, all keys
  }
}
