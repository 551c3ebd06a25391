# gpt-4o on OpenAI: at most $200 a month and 600 requests a minute, whatever
# the virtual key.
resource "bifrost_model_config" "gpt4o_openai" {
  model_name    = "gpt-4o"
  provider_name = "openai"

  budgets = [{ max_limit = 200, reset_duration = "1M" }]

  rate_limit = {
    request_max_limit      = 600
    request_reset_duration = "1m"
  }
}

# o1 on every provider that serves it: a daily token limit only.
resource "bifrost_model_config" "o1_everywhere" {
  model_name = "o1"

  rate_limit = {
    token_max_limit      = 5000000
    token_reset_duration = "1d"
  }
}
