# A key of a custom provider: a provider with its own name that speaks the
# API of a built-in type, e.g. an OpenAI-compatible gateway. Here Terraform
# creates the provider too; a custom provider created in Bifrost's UI or
# config.json is referred to by its name (provider_name = "my-openai-compatible").
resource "bifrost_provider" "gateway" {
  name = "my-openai-compatible"

  network_config = {
    base_url = "https://llm-gateway.example.com/v1"
  }

  custom_provider_config = {
    base_provider_type = "openai"
  }
}

resource "bifrost_provider_key" "custom" {
  provider_name = bifrost_provider.gateway.name
  name          = "internal-gateway"
  value         = var.internal_gateway_key

  models = ["*"]
}

variable "internal_gateway_key" {
  type      = string
  sensitive = true
}
