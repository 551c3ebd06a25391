# A provider's budgets and rate limit, with their usage.
data "bifrost_provider_governance" "openai" {
  provider_name = "openai"
}

output "openai_tokens_used_today" {
  value = data.bifrost_provider_governance.openai.rate_limit == null ? null : data.bifrost_provider_governance.openai.rate_limit.token_current_usage
}
