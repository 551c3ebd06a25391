# Read a provider's configuration and status.
data "bifrost_provider" "openai" {
  name = "openai"
}

output "openai_status" {
  value = data.bifrost_provider.openai.provider_status
}
