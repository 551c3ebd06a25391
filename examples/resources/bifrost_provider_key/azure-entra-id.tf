# Azure OpenAI with an Entra ID service principal instead of an API key
# (the key value stays empty).
resource "bifrost_provider_key" "azure_entra" {
  provider_name = "azure"
  name          = "azure-westeurope-sp"

  azure_key_config {
    endpoint      = "https://my-eu-resource.openai.azure.com"
    client_id     = "00000000-0000-0000-0000-000000000001"
    tenant_id     = "00000000-0000-0000-0000-000000000002"
    client_secret = "env.AZURE_CLIENT_SECRET" # resolved by Bifrost
    scopes        = ["https://cognitiveservices.azure.com/.default"]
  }
}
