# An OpenAI key restricted to two models. Its weight is relative to the
# weights of the provider's other keys.
resource "bifrost_provider_key" "openai_primary" {
  provider_name = "openai"
  name          = "openai-primary"
  value         = var.openai_api_key

  models = ["gpt-4o", "gpt-4o-mini"]
  weight = 0.5
}

variable "openai_api_key" {
  type      = string
  sensitive = true
}
