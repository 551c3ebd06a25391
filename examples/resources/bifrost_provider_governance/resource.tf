resource "bifrost_provider" "openai" {
  name = "openai"
}

# All OpenAI traffic, whatever the model or virtual key: at most $1000 a
# month and 10M tokens a day.
resource "bifrost_provider_governance" "openai" {
  provider_name = bifrost_provider.openai.name

  budgets = [{ max_limit = 1000, reset_duration = "1M" }]

  rate_limit = {
    token_max_limit      = 10000000
    token_reset_duration = "1d"
  }
}
