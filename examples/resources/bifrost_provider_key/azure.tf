# An Azure OpenAI key: `aliases` maps the model names clients ask for to
# the deployment names of the Azure resource.
resource "bifrost_provider_key" "azure" {
  provider_name = "azure"
  name          = "azure-eastus"
  value         = var.azure_openai_api_key

  models = ["gpt-4o"]
  aliases = {
    "gpt-4o" = "gpt-4o-prod-deployment"
  }

  azure_key_config {
    endpoint    = "https://my-resource.openai.azure.com"
    api_version = "2024-10-21"
  }
}

variable "azure_openai_api_key" {
  type      = string
  sensitive = true
}
