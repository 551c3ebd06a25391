# A model config by model and provider (or by id), with its usage.
data "bifrost_model_config" "gpt4o_openai" {
  model_name    = "gpt-4o"
  provider_name = "openai"
}

output "gpt4o_openai_budget_usage" {
  value = { for b in data.bifrost_model_config.gpt4o_openai.budgets : b.reset_duration => "${b.current_usage} / ${b.max_limit}" }
}
