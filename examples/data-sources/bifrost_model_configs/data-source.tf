# The model configs of OpenAI's gpt-4 family, with their usage.
data "bifrost_model_configs" "gpt4" {
  model_name_regex = "^gpt-4"
  provider_name    = "openai"
}

output "gpt4_model_config_ids" {
  value = data.bifrost_model_configs.gpt4.ids
}
