# Look a key up by name (or by id). Secrets come back masked, as Bifrost
# returns them.
data "bifrost_provider_key" "primary" {
  provider_name = "openai"
  name          = "openai-primary"
}

output "primary_key_models" {
  value = data.bifrost_provider_key.primary.models
}
