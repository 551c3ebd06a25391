# A key of a custom provider: a provider created in Bifrost (UI or
# config.json) with its own name, e.g. an OpenAI-compatible gateway.
resource "bifrost_provider_key" "custom" {
  provider_name = "my-openai-compatible"
  name          = "internal-gateway"
  value         = var.internal_gateway_key

  models = ["*"]
}

variable "internal_gateway_key" {
  type      = string
  sensitive = true
}
